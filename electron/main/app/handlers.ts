import { ok, type Result } from '../../../shared/result';
import type { DisplayInfo } from '../../../shared/settings';
import { describeMonitors, VIRTUAL_MONITOR } from './display-placement';
import type { Handlers } from './dispatch';
import { reportedAppError } from './errors';
import type { Runtime } from './runtime';

export interface HandlerOptions {
  /** The monitors (Electron's screen); browser mode has one virtual display. */
  listDisplays?: () => DisplayInfo[];
}

/** The runtime once no environment switch is under way (the day follows the environment). */
async function settled(runtime: Runtime): Promise<Runtime> {
  await runtime.payments();
  return runtime;
}

/**
 * Runs one call, turning whatever the core throws into the Result's closed error; an
 * unexpected one's stack goes to the log (reportedAppError).
 */
function attempter(log: (line: string) => void) {
  return async <T>(fn: () => Promise<T> | T): Promise<Result<T>> => {
    try {
      return ok(await fn());
    } catch (error) {
      return { ok: false, error: reportedAppError(error, log) };
    }
  };
}

/**
 * The handler for every channel, over the core. Shared by Electron IPC and the loopback
 * bridge; inputs arrive already validated by `dispatch`.
 */
export function createHandlers(runtime: Runtime, options: HandlerOptions = {}): Handlers {
  const listDisplays = options.listDisplays ?? (() => describeMonitors([VIRTUAL_MONITOR]));
  const attempt = attempter((line) => runtime.log(line));
  // What moves money waits (briefly) for the start-up recovery; reading the history does not.
  const work = (): ReturnType<Runtime['payments']> => runtime.payments({ forWork: true });
  return {
    'app:status': () => runtime.status(),
    'app:check-connection': () => runtime.checkConnection(),

    'settings:get': () => attempt(() => runtime.settings.view()),
    'settings:update': (patch) => attempt(() => runtime.settings.update(patch)),
    'settings:set-credentials': (input) => attempt(() => runtime.settings.setCredentials(input)),
    'connection:start': () => attempt(() => runtime.settings.startConnection()),
    'connection:status': () => attempt(() => runtime.settings.connectionStatus()),
    'connection:cancel': () => attempt(() => runtime.settings.cancelConnection()),
    'settings:set-manager-pin': (input) => attempt(() => runtime.settings.setManagerPin(input)),
    'settings:unlock': ({ pin }) => attempt(() => runtime.settings.unlock(pin)),
    'settings:lock': () => attempt(() => runtime.settings.lock()),
    'settings:list-displays': () => attempt(listDisplays),

    'sale:start': (input) => attempt(async () => (await work()).startSale(input)),
    'sale:cancel': ({ saleId }) =>
      attempt(async () => {
        // The QR leaves the customer's screen the moment the cashier asks, not once DropPay
        // has answered: nobody should approve a sale the till is cancelling.
        runtime.display.cancelling(saleId);
        try {
          return await (await work()).cancelSale(saleId);
        } catch (error) {
          // Refused before the cancel was recorded (not cancellable, not ready, the journal
          // refused the intent): the sale still waits for the payer, and its QR comes back.
          // Once recorded, the till cancels it whatever happens next (it sends the cancel
          // again, and a grant is not charged), so the QR stays down.
          if (!runtime.journal.saleHasEvent(saleId, 'authorization.cancel.intent'))
            runtime.display.cancelAborted(saleId);
          throw error;
        }
      }),
    'sale:capture': (input) => attempt(async () => (await work()).captureSale(input)),
    'sale:retry-charge': ({ saleId }) => attempt(async () => (await work()).retryCharge(saleId)),
    'sale:get': ({ saleId }) => attempt(async () => (await runtime.payments()).getSale(saleId)),
    'sale:current': () => attempt(async () => (await runtime.payments()).currentSale()),
    'sale:list': (filter) => attempt(async () => (await runtime.payments()).listSales(filter)),
    'sale:timeline': ({ saleId }) => attempt(async () => (await runtime.payments()).timeline(saleId)),
    'refund:create': (input) => attempt(async () => (await work()).refund(input)),
    'payments:pending': () => attempt(async () => (await runtime.payments()).pending()),
    'payments:recheck': () => attempt(async () => (await work()).recheck()),

    'display:state': () => attempt(() => runtime.display.state()),
    'display:language': (input) =>
      attempt(() => {
        if ('sameCustomerAs' in input) runtime.display.sameCustomerAs(input.sameCustomerAs);
        else runtime.display.forCustomer(input.language);
        return runtime.display.state();
      }),

    // The end of day reads the journal as it stands; checking and closing wait for switches.
    'day:report': ({ day, verify }) => attempt(async () => (await settled(runtime)).day.report(day, verify)),
    'day:check': ({ day, recheck }) => attempt(async () => (await settled(runtime)).day.check(day, recheck)),
    'day:close': ({ day, forceReason }) =>
      attempt(async () => {
        const closed = await (await settled(runtime)).day.close(day, forceReason);
        // A closed day is copied for safe keeping (the copy has the closure in it; a refused
        // close copies nothing); a failure shows in settings and on the banner.
        void runtime.backups.backupNow().catch(() => undefined);
        return closed;
      }),
    'day:export': ({ day, format, lang }) =>
      attempt(async () => (await settled(runtime)).day.exportFile(day, format, lang)),
    'day:closures': () => attempt(async () => (await settled(runtime)).day.closures()),
    'day:export-closures': ({ format, lang }) =>
      attempt(async () => (await settled(runtime)).day.exportClosures(format, lang)),

    'backup:status': () => attempt(() => runtime.backups.status()),
    'backup:now': () => attempt(async () => (await settled(runtime)).backups.backupNow()),
    'backup:set-folder': ({ folder }) => attempt(() => runtime.setBackupFolder(folder)),
  };
}
