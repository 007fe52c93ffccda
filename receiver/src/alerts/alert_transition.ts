/** One change of an alert's state: what the terminal shows, the history file and `logpulse.alerts` keep. */
export interface AlertTransition {
  /** 'HighTraffic' or 'SourceSilent' (the Prometheus rules of the same names carry the same texts). */
  alert: string;
  /** The source a SourceSilent transition is about; absent for HighTraffic (all sources together). */
  source?: string;
  state: 'firing' | 'resolved';
  /** HighTraffic: average requests per second over the window at that second. SourceSilent: seconds since the source's last line. */
  value: number;
  /** The second it happened, epoch milliseconds (HighTraffic: event time; SourceSilent: wall time). */
  at: number;
  thresholdRps: number;
  /** HighTraffic: the averaging window. SourceSilent: the silence threshold, seconds (thresholdRps is 0). */
  windowSeconds: number;
  /** The exact text of DESIGN.md: "High traffic generated an alert - ...", "No logs received from ...", and their recoveries. */
  message: string;
}
