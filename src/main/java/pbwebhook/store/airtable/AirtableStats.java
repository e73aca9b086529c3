package pbwebhook.store.airtable;

/**
 * Counters of one store since it was created.
 *
 * @param requestsSent        HTTP requests put on the wire, retries included
 * @param rateLimitResponses  429 "rate limit reached" answers received
 * @param billingLimitResponses 429 billing-plan answers received
 * @param retries             requests sent again after a 429, 5xx, timeout or lost connection
 * @param serverErrors        5xx answers, timeouts and connection failures
 */
public record AirtableStats(long requestsSent, long rateLimitResponses, long billingLimitResponses, long retries,
                            long serverErrors) {}
