import { describe, expect, it } from 'vitest';
import { AckQueue } from '../../src/checkpoint/ack_queue.js';

describe('AckQueue', () => {
  it('commits only past batches that are all acknowledged, even when acks come out of order', () => {
    const commits: number[] = [];
    const queue = new AckQueue((offset) => commits.push(offset));
    const a = queue.add(100);
    const b = queue.add(200);
    const c = queue.add(300);
    c();
    expect(commits).toEqual([]);
    a();
    expect(commits).toEqual([100]);
    b();
    expect(commits).toEqual([100, 300]);
    expect(queue.pending).toBe(0);
  });

  it('ignores a second ack of the same batch', () => {
    const commits: number[] = [];
    const queue = new AckQueue((offset) => commits.push(offset));
    const a = queue.add(10);
    queue.add(20);
    a();
    a();
    expect(commits).toEqual([10]);
    expect(queue.pending).toBe(1);
  });

  it('tells when everything handed on so far is acknowledged', async () => {
    const queue = new AckQueue(() => {});
    const a = queue.add(10);
    let drained = false;
    const done = queue.drained().then(() => (drained = true));
    const b = queue.add(20);
    await Promise.resolve();
    expect(drained).toBe(false);
    a();
    await done;
    expect(drained).toBe(true);
    expect(queue.pending).toBe(1);
    b();
    await queue.drained();
  });
});
