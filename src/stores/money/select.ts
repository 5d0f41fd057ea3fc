/**
 * A SELECT over the caller's own tables that a money statement embeds (the campaign recipients
 * whose holds to void, the message whose hold to refund…), so the money statement stays here and
 * the caller's tables stay the caller's. Its parameters are anonymous `?`, bound in order.
 */
export interface SqlSelect {
  sql: string;
  params: unknown[];
}
