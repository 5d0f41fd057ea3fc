import type { CoreContext } from "../../config/context";
import { AppError } from "../../lib/errors";
import { pawapayMobileMoney } from "./pawapay";
import { sandboxMobileMoney } from "./sandbox";
import type { MobileMoneyName, MobileMoneyUpstream } from "./types";

export type { DepositSnapshot, InitiateOutcome, MobileMoneyName, MobileMoneyUpstream,  } from "./types";

/**
 * The mobile-money upstream of a name: `MOBILE_MONEY` for new deposits, the deposit's own for
 * checks (a sandbox deposit is never asked of pawaPay after a switch, nor the reverse).
 */
export function mobileMoney(ctx: CoreContext, name: MobileMoneyName = ctx.config.MOBILE_MONEY): MobileMoneyUpstream {
  if (name === "sandbox") return sandboxMobileMoney;
  const token = ctx.config.PAWAPAY_API_TOKEN;
  if (!token) throw new AppError("unavailable", "PAWAPAY_API_TOKEN is not set: pawaPay deposits cannot be checked");
  return pawapayMobileMoney({
    baseUrl: ctx.config.PAWAPAY_BASE_URL,
    token,
    timeoutMs: ctx.config.PAWAPAY_TIMEOUT_MS,
    log: ctx.log,
  });
}
