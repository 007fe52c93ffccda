/** One change of an alert's state: what the terminal shows, the history file and `logpulse.alerts` keep. */
export interface AlertTransition {
  /** 'HighTraffic' (the Prometheus rule of the same name carries the same texts). */
  alert: string;
  state: 'firing' | 'resolved';
  /** Average requests per second over the window at that second. */
  value: number;
  /** The second it happened, epoch milliseconds (event time). */
  at: number;
  thresholdRps: number;
  windowSeconds: number;
  /** The exact text of DESIGN.md: "High traffic generated an alert - hits = ..." or "Traffic recovered - ...". */
  message: string;
}
