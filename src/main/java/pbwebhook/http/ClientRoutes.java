package pbwebhook.http;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import pbwebhook.Addresses;
import pbwebhook.clients.TokenBudget;
import pbwebhook.execlog.ExecutionLogVerticle;
import pbwebhook.store.schema.Leads;

/** Read access for operators and tests: clients, their execution log, and their leads as {id, createdTime, fields}. */
public final class ClientRoutes {

  private static final int MAX_LEADS = 1000;

  private final Vertx vertx;
  private final ClientResolver clients;
  private final TokenBudget budget;

  public ClientRoutes(Vertx vertx, ClientResolver clients) {
    this(vertx, clients, null);
  }

  /** With the clients' monthly token usage shown by {@code GET /api/clients/{id}}. */
  public ClientRoutes(Vertx vertx, ClientResolver clients, TokenBudget budget) {
    this.vertx = vertx;
    this.clients = clients;
    this.budget = budget;
  }

  public void mount(Router router) {
    router.get("/api/clients").handler(this::list);
    router.get("/api/clients/:clientId").handler(this::get);
    router.get("/api/clients/:clientId/health").handler(this::health);
    router.get("/api/clients/:clientId/leads").handler(this::leads);
    router.get("/api/clients/:clientId/leads/:recordId").handler(this::lead);
  }

  private void list(RoutingContext ctx) {
    Responses.reply(ctx, 200, vertx.eventBus().<JsonObject>request(Addresses.CLIENTS_LIST, new JsonObject(), Addresses.local())
        .map(m -> m.body()));
  }

  private void get(RoutingContext ctx) {
    Responses.reply(ctx, 200, clients.resolve(ctx).compose(c -> vertx.eventBus()
        .<JsonObject>request(ExecutionLogVerticle.READ, new JsonObject().put("clientId", c.clientId()), Addresses.local())
        .map(m -> c.toJson().put("executionLog", m.body().getString("executionLog")))
        .compose(json -> budget == null ? Future.succeededFuture(json) : budget.usage(c.clientId())
            .map(u -> json.put("monthlyTokenBudget", u.budgetTokens()).put("usage", u.toJson()))
            .otherwise(json))));
  }

  /** 200 when the base is reachable and complete, 503 otherwise; the body says what is wrong either way. */
  private void health(RoutingContext ctx) {
    clients.resolve(ctx)
        .compose(c -> vertx.eventBus().<JsonObject>request(Addresses.health(c.clientId()), new JsonObject(),
            new io.vertx.core.eventbus.DeliveryOptions().setSendTimeout(60_000)))
        .onSuccess(m -> Responses.json(ctx, m.body().getBoolean("healthy", false) ? 200 : 503, m.body()))
        .onFailure(e -> ErrorResponder.respond(ctx, e));
  }

  private void leads(RoutingContext ctx) {
    int limit = Responses.positiveInt(ctx, "limit", 100, MAX_LEADS);
    String status = ctx.request().getParam("status");
    JsonObject q = new JsonObject().put("limit", limit);
    if (status != null && !status.isBlank()) q.put("status", normaliseStatus(status.trim()));
    Responses.reply(ctx, 200, clients.resolve(ctx).compose(c -> vertx.eventBus()
        .<JsonObject>request(Addresses.leadsList(c.clientId()), q).map(m -> m.body())));
  }

  private void lead(RoutingContext ctx) {
    String recordId = ctx.pathParam("recordId");
    Responses.reply(ctx, 200, clients.resolve(ctx).compose(c -> vertx.eventBus()
        .<JsonObject>request(Addresses.leadsGet(c.clientId()), new JsonObject().put("recordId", recordId))
        .map(m -> m.body())));
  }

  /** Operators type a hyphen where the stored status has an en dash; accept both. */
  private static String normaliseStatus(String s) {
    for (String known : new String[] {Leads.SKIPPED_TOO_THIN, Leads.SKIPPED_JSON_MISSING, Leads.SKIPPED_JSON_TOO_SMALL,
        Leads.FAILED_CLIENT_INIT, Leads.FAILED_API_ERROR, Leads.FAILED_EMPTY_RESPONSE, Leads.FAILED_PARSE_ERROR,
        Leads.FAILED_MISSING_IN_BATCH, Leads.FAILED_SCORING_LOGIC, Leads.FAILED_REPLY_CUT_OFF}) {
      if (known.replace('\u2013', '-').equalsIgnoreCase(s.replace('\u2013', '-'))) return known;
    }
    return s;
  }
}
