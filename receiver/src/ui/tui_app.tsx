import { Box, Text } from 'ink';
import type { AlertTransition } from '../alerts/alert_transition.js';
import { formatSpan } from './format.js';
import type { ImportSummary } from './import_summary.js';
import { SUMMARY_LABEL_WIDTH, importSummaryLines } from './import_summary_lines.js';
import { LABEL_WIDTH, catchingUp, periodLines, progressBar } from './period_lines.js';
import type { Progress } from './period_lines.js';
import type { PeriodSnapshot } from './period_snapshot.js';

export interface TuiState {
  period: PeriodSnapshot | undefined;
  alerts: readonly AlertTransition[];
  progress: Progress | undefined;
  /** What the batch import did, once it is done. */
  summary: ImportSummary | undefined;
}

function PeriodBlock({ period }: { period: PeriodSnapshot }) {
  return (
    <Box flexDirection="column">
      {periodLines(period).map(({ label, text }) => (
        <Box key={label}>
          <Box width={LABEL_WIDTH} flexShrink={0}>
            <Text dimColor>{label}</Text>
          </Box>
          <Text wrap="truncate-end">{text}</Text>
        </Box>
      ))}
    </Box>
  );
}

function AlertLines({ alerts }: { alerts: readonly AlertTransition[] }) {
  if (alerts.length === 0) return <Text dimColor>no alerts</Text>;
  return (
    <Box flexDirection="column">
      {alerts.map((alert) => (
        <Text key={`${alert.alert}:${alert.source ?? ''}:${alert.at}:${alert.state}`} color={alert.state === 'firing' ? 'red' : 'green'}>
          {alert.message}
        </Text>
      ))}
    </Box>
  );
}

function SummaryBlock({ summary }: { summary: ImportSummary }) {
  return (
    <Box flexDirection="column" marginTop={1}>
      <Text bold>import summary</Text>
      {importSummaryLines(summary).map(({ label, text }, i) => (
        <Box key={`${i}:${label}`}>
          <Box width={SUMMARY_LABEL_WIDTH} flexShrink={0}>
            <Text dimColor>{label}</Text>
          </Box>
          <Text wrap="truncate-end">{text}</Text>
        </Box>
      ))}
    </Box>
  );
}

/** The whole screen: title with the period's span, the catch-up bar, the period, the alerts, the import summary. */
export function TuiApp({ period, alerts, progress, summary }: TuiState) {
  return (
    <Box flexDirection="column">
      <Text bold>
        logpulse <Text dimColor>{period === undefined ? 'waiting for the first period' : formatSpan(period.startMs, period.endMs)}</Text>
      </Text>
      {catchingUp(progress) ? (
        <Box>
          <Box width={LABEL_WIDTH} flexShrink={0}>
            <Text color="cyan">catching up</Text>
          </Box>
          <Text color="cyan">{progressBar(progress, 30, '█', '░')}</Text>
        </Box>
      ) : null}
      {period === undefined ? null : <PeriodBlock period={period} />}
      <Box marginTop={1}>
        <Text bold>alerts</Text>
      </Box>
      <AlertLines alerts={alerts} />
      {summary === undefined ? null : <SummaryBlock summary={summary} />}
    </Box>
  );
}
