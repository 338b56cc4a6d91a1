/** The payments core's public surface: what the app runtime, IPC handlers and tests may use. */
export { createPaymentsService, type PaymentsService, type PaymentsServiceOptions } from './service';
export { openPayments, type OpenPayments, type OpenPaymentsOptions } from './open-payments';
export { CRASH_POINTS, type CrashPoint, type CrashPointName } from './crash-points';
export { PaymentsError, PAYMENTS_ERROR_CODES, PAYMENTS_TO_APP, type PaymentsErrorCode } from './errors';
export {
  createFilePinStore,
  MAX_PIN_FAILURES,
  PIN_LOCK_MS,
  pinDamagedMessage,
  pinLockedMessage,
  pinRefusal,
  type PinCheck,
  type PinStore,
} from './pin-store';
export { LOST_AUTHORIZATION_GRACE_SECONDS } from './live-sale';
export {
  hintOf,
  startWebhookReceiver,
  type RunningWebhookReceiver,
  type WebhookReceiverOptions,
} from './webhook-receiver';
import './shared-sets';
