/**
 * A SELECT over one aggregate's tables that another's statement embeds, so each statement stays
 * in its own store: the campaign recipients whose holds to void, the message whose hold to
 * refund, the account a renewal's debit requires unchanged. Its parameters are anonymous `?`,
 * bound in order.
 */
export interface SqlSelect {
  sql: string;
  params: unknown[];
}
