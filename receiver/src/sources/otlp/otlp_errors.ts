/** google.rpc.Code values the OTLP/HTTP answers carry in their Status body. */
export const RpcCode = {
  INVALID_ARGUMENT: 3,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  UNAVAILABLE: 14,
  UNAUTHENTICATED: 16,
  UNIMPLEMENTED: 12,
} as const;

/**
 * A request the endpoint refuses: its HTTP status, the google.rpc.Status code and message of the
 * body, and for retryable refusals the seconds a client should wait (`Retry-After`).
 */
export class OtlpRequestError extends Error {
  constructor(
    readonly httpStatus: number,
    readonly rpcCode: number,
    message: string,
    readonly retryAfterSeconds?: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'OtlpRequestError';
  }
}

/** The body could not be decoded as an ExportLogsServiceRequest: answered 400. */
export class OtlpDecodeError extends OtlpRequestError {
  constructor(message: string, options?: ErrorOptions) {
    super(400, RpcCode.INVALID_ARGUMENT, `otlp: ${message}`, undefined, options);
    this.name = 'OtlpDecodeError';
  }
}
