package pbwebhook.http;

import static org.assertj.core.api.Assertions.assertThat;
import static pbwebhook.TestServer.DEMO;
import static pbwebhook.TestServer.DEMO_BASE;
import static pbwebhook.TestServer.LONG_ABOUT;

import io.vertx.core.json.JsonObject;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import pbwebhook.TestHttp;
import pbwebhook.TestServer;
import pbwebhook.fakes.FlakyStore;
import pbwebhook.fakes.ScriptedScorer;
import pbwebhook.scoring.DefaultRubric;
import pbwebhook.store.schema.ExecutionSummary;

/**
 * The dashboard in a real browser: Debian's headless Chromium driven through its own chromedriver (no driver
 * download, no usage statistics). Seeds a week of history, opens every page, checks the values and the charts, a
 * live progress update, a dead letter replayed, the 390 px width, and that the console has no error. Screenshots go
 * to {@code target/dashboard-screenshots/}. Skipped when Chromium is missing, unless {@code REQUIRE_BROWSER_TEST=true}
 * (CI installs Chromium and sets it, so there it cannot be skipped).
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class DashboardBrowserIT {

  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final Path SHOTS = Path.of("target", "dashboard-screenshots");

  @TempDir
  Path dataDir;

  private TestServer server;
  private ChromeDriver browser;
  private FlakyStore flaky;
  private final CompletableFuture<Void> release = new CompletableFuture<>();

  @BeforeEach
  void start() throws Exception {
    boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    if (!present && "true".equals(System.getenv("REQUIRE_BROWSER_TEST"))) {
      throw new AssertionError("REQUIRE_BROWSER_TEST=true but " + CHROMIUM + " or " + CHROMEDRIVER + " is missing "
          + "(apt-get install -y chromium chromium-driver)");
    }
    Assumptions.assumeTrue(present, "Chromium and chromedriver are not installed: apt-get install -y chromium chromium-driver");
    Files.createDirectories(SHOTS);

    ScriptedScorer scorer = new ScriptedScorer()
        .then(ScriptedScorer.heldUntil(release, ScriptedScorer.fullMarks()))
        .byDefault(ScriptedScorer.fullMarks());
    server = TestServer.start(dataDir, scorer, new JsonObject(), store -> flaky = new FlakyStore(store, DEMO_BASE));

    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
        "--window-size=1280,1000", "--no-first-run", "--disable-extensions");
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(new File(CHROMEDRIVER.toString())).usingAnyFreePort().build();
    browser = new ChromeDriver(service, options);
  }

  @AfterEach
  void stop() {
    release.complete(null);
    if (browser != null) browser.quit();
    if (server != null) server.close();
  }

  @Test
  void anOperatorSeesRunsTrendsLeadsAndDeadLettersAndReplaysOne() throws Exception {
    String acmeBase = server.addClient("acme", "Active", DefaultRubric.scoringAttributeRows());
    seedAWeekOfSummaries();
    String jane = server.addLead(DEMO_BASE, "jane-browser", LONG_ABOUT);
    server.addLead(acmeBase, "acme-browser", LONG_ABOUT);
    flaky.refuseWritesContaining("Unstorable Headline");
    TestHttp.Reply dead = server.http().post("/lh-webhook/upsertLeadOnly?clientId=" + DEMO,
        "{\"profileUrl\":\"https://www.linkedin.com/in/dead-letter-one/\",\"firstName\":\"Dead\",\"lastName\":\"Letter\","
            + "\"headline\":\"Unstorable Headline\",\"summary\":\"About text long enough to be a profile summary.\"}");
    assertThat(dead.status()).as(dead.body()).isEqualTo(200);
    String deadId = dead.json().getString("inboxId");
    TestServer.awaitCondition("the refused webhook is dead-lettered", WAIT,
        () -> server.http().get("/api/inbox").json().getInteger("dead") == 1);

    // A run held by the AI: the overview shows it running, then finished, without a reload.
    String runId = server.startRun(DEMO).getString("runId");
    browser.get(url("/dashboard/#overview"));
    WebElement runIdCell = waitFor(By.xpath("//code[@class='run-id' and text()='" + runId + "']"));
    WebElement row = runIdCell.findElement(By.xpath("./ancestor::tr"));
    assertThat(row.findElement(By.cssSelector(".badge")).getText()).isEqualTo("running");
    shot("overview-running");
    release.complete(null);
    new WebDriverWait(browser, WAIT).until(d -> d.findElement(By.xpath(
        "//code[@class='run-id' and text()='" + runId + "']/ancestor::tr//span[contains(@class,'badge')]"))
        .getText().equals("completed"));
    assertThat(browser.findElement(By.xpath("//code[@class='run-id' and text()='" + runId
        + "']/ancestor::tr//span[@class='progress-text']")).getText()).isEqualTo("1/1");
    assertThat(browser.findElement(By.id("clients")).getText()).contains("Client acme", "(demo)", "Health: healthy");
    shot("overview");

    // Trends: a week of history drawn per client, and the by-client table.
    click("nav a[data-page='trends']");
    new WebDriverWait(browser, WAIT).until(d -> !d.findElements(By.cssSelector("#chart-leads canvas")).isEmpty()
        && d.findElement(By.id("by-client")).getText().contains("Client acme"));
    for (String chart : List.of("chart-leads", "chart-success", "chart-tokens", "chart-cost")) {
      assertThat(browser.findElements(By.cssSelector("#" + chart + " canvas"))).as(chart).isNotEmpty();
    }
    assertThat(((JavascriptExecutor) browser).executeScript(
        "return echarts.getInstanceByDom(document.getElementById('chart-leads')).getOption().xAxis[0].data.length"))
        .isEqualTo(30L);
    shot("trends");

    // Leads: the demo client's scored lead, found by name, opened with its score and breakdown.
    click("nav a[data-page='leads']");
    waitFor(By.cssSelector("#leads table"));
    browser.findElement(By.id("leads-search")).sendKeys("jane-browser");
    new WebDriverWait(browser, WAIT).until(d -> d.findElement(By.id("leads")).getText().startsWith("1 of "));
    browser.findElement(By.cssSelector("[data-focus-key='lead:" + jane + "']")).click();
    WebElement detail = waitFor(By.cssSelector(".lead-detail"));
    assertThat(detail.findElement(By.cssSelector(".lead-score")).getText()).isEqualTo("100");
    assertThat(detail.getText()).contains("AI Attribute Breakdown", "AI Profile Assessment", "Scored");
    shot("leads");

    // Inbox, then the dead letter replayed (the store accepts it now).
    click("nav a[data-page='inbox']");
    new WebDriverWait(browser, WAIT).until(d -> d.findElement(By.id("inbox")).getText().contains("dead"));
    shot("inbox");
    click("nav a[data-page='dead']");
    waitFor(By.xpath("//code[text()='" + deadId + "']"));
    assertThat(browser.findElement(By.id("dead")).getText()).contains("lh-profiles", "cannot accept the provided value").doesNotContain("No dead letters");
    shot("dead-letters");
    flaky.refuseWritesContaining(null);
    browser.findElement(By.cssSelector("[data-focus-key='replay:" + deadId + "']")).click();
    new WebDriverWait(browser, WAIT).until(ExpectedConditions.textToBePresentInElementLocated(By.id("message"),
        "Replayed " + deadId));
    TestServer.awaitCondition("the replayed webhook is stored", WAIT, () -> server.leads(DEMO_BASE).stream()
        .anyMatch(r -> "Letter".equals(r.fields().getString("Last Name"))));

    // Clients page lists both clients with their actions.
    click("nav a[data-page='clients']");
    new WebDriverWait(browser, WAIT).until(d -> d.findElement(By.id("clients-admin")).getText().contains("acme"));
    assertThat(browser.findElements(By.cssSelector("[data-focus-key^='rotate:']"))).hasSize(2);
    shot("clients");

    // At 390 px nothing overflows sideways.
    browser.manage().window().setSize(new Dimension(390, 844));
    click("nav a[data-page='overview']");
    waitFor(By.xpath("//code[@class='run-id' and text()='" + runId + "']"));
    Object overflow = ((JavascriptExecutor) browser).executeScript(
        "return document.documentElement.scrollWidth - document.documentElement.clientWidth");
    shot("overview-390px");
    assertThat(((Number) overflow).intValue()).as("horizontal overflow at 390 px").isLessThanOrEqualTo(0);

    List<LogEntry> errors = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
        .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue()).toList();
    assertThat(errors).as("console errors").isEmpty();
  }

  @Test
  void keyboardFocusSurvivesALiveRefresh() {
    server.addLead(DEMO_BASE, "focus-lead", LONG_ABOUT);
    String runId = server.startRun(DEMO).getString("runId");
    browser.get(url("/dashboard/#overview"));
    waitFor(By.xpath("//code[@class='run-id' and text()='" + runId + "']"));
    WebElement button = browser.findElement(By.cssSelector("[data-focus-key='trigger:demo/posts']"));
    ((JavascriptExecutor) browser).executeScript("arguments[0].focus()", button);
    String before = (String) ((JavascriptExecutor) browser).executeScript("return document.getElementById('refresh-state').textContent");
    // the run is held, so the page refreshes itself every 5 s: wait for one refresh
    new WebDriverWait(browser, WAIT).until(d -> !before.equals(((JavascriptExecutor) d)
        .executeScript("return document.getElementById('refresh-state').textContent")));
    assertThat(((JavascriptExecutor) browser).executeScript("return document.activeElement.dataset.focusKey"))
        .isEqualTo("trigger:demo/posts");
  }

  private void seedAWeekOfSummaries() throws Exception {
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    for (int day = 1; day <= 7; day++) {
      for (String client : List.of(DEMO, "acme")) {
        server.store().create(server.masterBase(), ExecutionSummary.TABLE, List.of(new JsonObject()
            .put(ExecutionSummary.EXECUTION_ID, "seed-" + client + "-" + day).put(ExecutionSummary.CLIENT_ID, client)
            .put(ExecutionSummary.CLIENT_NAME, "Client " + client).put(ExecutionSummary.DATE, today.minusDays(day).toString())
            .put(ExecutionSummary.TIME, "06:00:00").put(ExecutionSummary.PROCESS_TYPE, "Lead Scoring")
            .put(ExecutionSummary.STATUS, "Completed successfully").put(ExecutionSummary.LEADS_PROCESSED, 10 + day)
            .put(ExecutionSummary.LEADS_SUCCESSFUL, 9 + day).put(ExecutionSummary.TOKENS_USED, 1000 * day)
            .put(ExecutionSummary.ESTIMATED_COST_USD, 0.001 * day).put(ExecutionSummary.DURATION, 30)
            .put(ExecutionSummary.ERROR_COUNT, 1))).await(10, TimeUnit.SECONDS);
      }
    }
  }

  private String url(String path) {
    return "http://127.0.0.1:" + server.port() + path;
  }

  private WebElement waitFor(By by) {
    return new WebDriverWait(browser, WAIT).until(ExpectedConditions.visibilityOfElementLocated(by));
  }

  private void click(String css) {
    waitFor(By.cssSelector(css)).click();
  }

  private void shot(String name) throws Exception {
    File png = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
    Files.copy(png.toPath(), SHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
  }
}
