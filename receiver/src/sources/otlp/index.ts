export { IngestAuth } from './otlp_auth.js';
export { decodeExportRequest } from './otlp_decode.js';
export type { OtlpEncoding, ShippedRecord, ShippedResource } from './otlp_decode.js';
export { OtlpDecodeError, OtlpRequestError, RpcCode } from './otlp_errors.js';
export {
  ATTR_FILE_FINGERPRINT, ATTR_FILE_NAME, ATTR_FILE_OFFSET, ATTR_FILE_PATH, ATTR_RECORD_NUMBER, ATTR_RECORD_OFFSET, RequestIdentities, resourceSource,
} from './otlp_identity.js';
export { OtlpSource } from './otlp_source.js';
export { isLoopback, resolveOtlpSourceOptions } from './otlp_options.js';
export type { OtlpSourceOptions, ResolvedOtlpSourceOptions } from './otlp_options.js';
