package org.clusworker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.clusworker.cli.admin.AdminClient;
import org.clusworker.cli.admin.AdminFile;
import org.clusworker.cli.admin.AdminJson;
import org.clusworker.cli.testing.Admin;
import org.clusworker.cli.testing.Cli;
import org.clusworker.cli.testing.HostProcess;
import org.clusworker.host.ResourceState;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.Alert;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Black-box: the web status page of a real host ({@code clusworker run} as a process), logged into
 * with the URL {@code clusworker open} prints, in a real headless Chromium (Selenium, Debian's
 * {@code chromium} and {@code chromium-driver}; the browser test is skipped, saying why, without
 * them), and its security checks with a plain HTTP client.
 *
 * <p>{@code -Dclusworker.screenshot=FILE} also saves the page's screenshot there (a relative path is
 * relative to the cli module); it is always saved as {@code target/web-page.png}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebPageIT {

    static final Duration LONG = Duration.ofSeconds(90);
    /** How soon a transition must show on the page, without a reload. */
    static final Duration LIVE = Duration.ofSeconds(10);
    static final Path CHROMEDRIVER = Path.of(System.getProperty("clusworker.chromedriver", "/usr/bin/chromedriver"));

    private Path dir;
    private Path state;
    private HostProcess host;
    private AdminClient admin;
    private AdminFile target;
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(10)).build();

    @BeforeAll
    void startHost() throws Exception {
        dir = Files.createTempDirectory("clusworker-webpage-it");
        Path file = dir.resolve("host.yaml");
        Files.writeString(file, """
                host:
                  name: web-test
                  stateDirectory: state
                defaults:
                  looksAliveInterval: 500ms
                resources:
                  - name: db
                    type: process
                    parameters:
                      command: [sleep, "311"]
                  - name: app
                    type: process
                    dependsOn: [db]
                    parameters:
                      command: [sleep, "312"]
                  - name: web
                    type: process
                    dependsOn: [app]
                    parameters:
                      command: [sleep, "313"]
                  - name: flaky
                    type: process
                    dependsOn: [db]
                    restart:
                      threshold: 1
                      delay: 1s
                      retryPeriodOnFailure: 10m
                    parameters:
                      command: [sh, -c, "sleep 2; exit 3"]
                """);
        host = HostProcess.start(dir, "run", file.toString(), "--view", "plain");
        state = dir.resolve("state");
        admin = Admin.await(state, host, LONG);
        for (String name : List.of("db", "app", "web")) {
            Admin.awaitState(admin, name, ResourceState.ONLINE, host, LONG);
        }
        target = AdminFile.read(state, AdminJson.mapper());
    }

    @AfterAll
    void stopHost() throws Exception {
        if (host != null) {
            host.signal("TERM");
            host.awaitExit(LONG);
            host.close();
        }
    }

    /** {@code clusworker open}'s address, checked. */
    private URI open() {
        Cli.Result r = Cli.run("open", "--state-dir", state.toString());
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.OK);
        String url = r.out().strip();
        assertThat(url).matches("http://127\\.0\\.0\\.1:" + target.url().getPort() + "/login\\?code=[A-Za-z0-9_-]{22,}");
        assertThat(r.err()).contains("one browser in, once");
        assertThat(url).doesNotContain(target.token());
        return URI.create(url);
    }

    private HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
        return http.send(b.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    @Order(1)
    @Timeout(120)
    void loginCodes_wrongOrReplayed_refused_postWithoutCsrfProof_refused() throws Exception {
        URI base = target.url();
        assertThat(send(HttpRequest.newBuilder(base)).statusCode()).as("the page without a session").isEqualTo(401);
        assertThat(send(HttpRequest.newBuilder(base.resolve("login?code=wrong-code"))).statusCode()).isEqualTo(403);
        URI login = open();
        HttpResponse<String> first = send(HttpRequest.newBuilder(login));
        assertThat(first.statusCode()).isEqualTo(303);
        assertThat(first.headers().firstValue("Location")).contains("/");
        String setCookie = first.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(setCookie).contains("HttpOnly", "SameSite=Strict", "Path=/");
        String cookie = setCookie.substring(0, setCookie.indexOf(';'));
        HttpResponse<String> replay = send(HttpRequest.newBuilder(login));
        assertThat(replay.statusCode()).as("a replayed code").isEqualTo(403);
        assertThat(replay.headers().firstValue("Set-Cookie")).isEmpty();

        assertThat(send(HttpRequest.newBuilder(base).header("Cookie", cookie)).statusCode()).isEqualTo(200);
        JsonNode session = AdminJson.mapper().readTree(send(HttpRequest.newBuilder(base.resolve("v1/session"))
                .header("Cookie", cookie)).body());
        String csrf = session.get("csrf").asText();
        String origin = "http://" + base.getAuthority();
        HttpRequest.Builder offline = HttpRequest.newBuilder(base.resolve("v1/resources/web/offline"))
                .POST(HttpRequest.BodyPublishers.noBody()).header("Cookie", cookie);
        HttpResponse<String> noCsrf = send(offline.copy().header("Origin", origin));
        assertThat(noCsrf.statusCode()).as(noCsrf.body()).isEqualTo(403);
        assertThat(send(offline.copy().header("X-CSRF-Token", csrf)).statusCode()).as("no Origin").isEqualTo(403);
        assertThat(send(offline.copy().header("X-CSRF-Token", csrf).header("Origin", "http://evil.example")).statusCode())
                .isEqualTo(403);
        // a wrongly accepted request would show within a second; none may
        org.awaitility.Awaitility.await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(30))
                .until(() -> admin.status("web").state().equals("ONLINE"));
    }

    @Test
    @Order(2)
    @Timeout(240)
    void page_listsResources_followsTransitionsLive_andSteersWithConfirmation() throws Exception {
        Path chromium = chromium();
        Assumptions.assumeTrue(chromium != null && Files.isExecutable(CHROMEDRIVER),
                "skipped: the browser test needs Chromium and ChromeDriver (Debian: apt-get install chromium chromium-driver);"
                        + " found chromium " + chromium + ", chromedriver " + (Files.isExecutable(CHROMEDRIVER) ? CHROMEDRIVER : "none"));
        WebDriver driver = browser(chromium);
        try {
            URI base = target.url();
            driver.get(base.toString());
            assertThat(driver.getPageSource()).as("without a session").contains("clusworker open").doesNotContain("Latest transitions");

            URI login = open();
            driver.get(login.toString());
            WebDriverWait wait = new WebDriverWait(driver, LIVE);
            wait.until(d -> d.findElements(By.cssSelector("#resources tbody tr[data-resource]")).size() == 4);
            assertThat(driver.getCurrentUrl()).as("the code has left the address bar").isEqualTo(base.toString());
            JavascriptExecutor js = (JavascriptExecutor) driver;
            assertThat(js.executeScript("return document.cookie")).as("the session cookie is HttpOnly").isEqualTo("");
            assertThat(driver.getPageSource()).doesNotContain(target.token()).doesNotContain(login.getQuery());
            assertThat(rowState(driver, "db")).isEqualTo("ONLINE");
            assertThat(driver.findElement(By.cssSelector("tr[data-resource='web'] td.deps")).getText()).isEqualTo("app");
            assertThat(driver.findElements(By.cssSelector("#graph svg g[data-resource]"))).hasSize(4);
            assertThat(driver.findElements(By.cssSelector("#graph svg path.edge"))).hasSize(3);
            wait.until(d -> d.findElement(By.id("connection")).getText().equals("live"));

            // the used code again, in the browser: refused
            driver.get(login.toString());
            assertThat(driver.getPageSource()).contains("unknown, expired or used");
            driver.get(base.toString());
            wait.until(d -> d.findElements(By.cssSelector("#resources tbody tr[data-resource]")).size() == 4);
            wait.until(d -> d.findElement(By.id("connection")).getText().equals("live"));

            // a transition from the command line shows without a reload
            js.executeScript("window.__noReload = 42");
            Cli.Result offline = Cli.run("offline", "web", "--state-dir", state.toString());
            assertThat(offline.exitCode()).as(offline.toString()).isEqualTo(ExitCodes.OK);
            long start = System.nanoTime();
            wait.until(d -> rowState(d, "web").equals("OFFLINE"));
            Duration shown = Duration.ofNanos(System.nanoTime() - start);
            assertThat(js.executeScript("return window.__noReload")).as("no reload").isEqualTo(42L);
            assertThat(driver.findElement(By.id("timeline")).getText())
                    .contains("web: Online → OfflinePending (offline requested)", "web: OfflinePending → Offline");
            System.out.println("WebPageIT: the CLI's offline showed on the page after " + shown.toMillis() + " ms");

            // online from the page: dismissed first (nothing happens), then accepted
            driver.findElement(By.cssSelector("tr[data-resource='web'] button.online")).click();
            Alert alert = wait.until(ExpectedConditions.alertIsPresent());
            assertThat(alert.getText()).contains("web", "online");
            alert.dismiss();
            org.awaitility.Awaitility.await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(30))
                    .until(() -> admin.status("web").state().equals("OFFLINE"));
            driver.findElement(By.cssSelector("tr[data-resource='web'] button.online")).click();
            wait.until(ExpectedConditions.alertIsPresent()).accept();
            new WebDriverWait(driver, LONG).until(d -> rowState(d, "web").equals("ONLINE"));
            assertThat(admin.status("web").state()).isEqualTo("ONLINE");
            assertThat(driver.findElement(By.id("notice")).getText()).isEqualTo("web: online requested");

            // offline from the page, accepted
            driver.findElement(By.cssSelector("tr[data-resource='app'] button.offline")).click();
            alert = wait.until(ExpectedConditions.alertIsPresent());
            assertThat(alert.getText()).contains("app", "offline");
            alert.accept();
            new WebDriverWait(driver, LONG).until(d -> rowState(d, "app").equals("OFFLINE") && rowState(d, "web").equals("OFFLINE"));
            assertThat(admin.status("app").state()).isEqualTo("OFFLINE");
            assertThat(js.executeScript("return window.__noReload")).isEqualTo(42L);

            // the screenshot: flaky Failed with its next attempt, app and web Offline
            new WebDriverWait(driver, LONG).until(d -> rowState(d, "flaky").equals("FAILED")
                    && !String.valueOf(((JavascriptExecutor) d).executeScript(
                            "return document.querySelector(\"tr[data-resource='flaky'] td.pending\").textContent")).isEmpty());
            screenshot(driver);
        } finally {
            driver.quit();
        }
    }

    /** The state a row shows (read in one script: the page replaces the badge on every event). */
    private static String rowState(WebDriver d, String name) {
        Object state = ((JavascriptExecutor) d).executeScript(
                "const b = document.querySelector(\"tr[data-resource='\" + arguments[0] + \"'] td.state .badge\");"
                        + " return b ? b.dataset.state : '';", name);
        return state == null ? "" : state.toString();
    }

    /** The Chromium binary, or null: Debian's real one behind its wrapper script, else the wrapper. */
    private static Path chromium() {
        String given = System.getProperty("clusworker.chromium");
        for (String p : given != null ? List.of(given) : List.of("/usr/lib/chromium/chromium", "/usr/bin/chromium",
                "/usr/bin/chromium-browser")) {
            if (Files.isExecutable(Path.of(p))) {
                return Path.of(p);
            }
        }
        return null;
    }

    private WebDriver browser(Path chromium) throws Exception {
        Path profile = Files.createDirectories(dir.resolve("chromium-profile"));
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1280,1000", "--user-data-dir=" + profile, "--no-first-run", "--disable-extensions");
        options.setPageLoadTimeout(Duration.ofSeconds(30));
        options.setScriptTimeout(Duration.ofSeconds(30));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .withLogFile(dir.resolve("chromedriver.log").toFile())
                .withEnvironment(Map.of("HOME", dir.toString()))
                .build();
        return new ChromeDriver(service, options);
    }

    private static void screenshot(WebDriver driver) throws Exception {
        byte[] png = ((org.openqa.selenium.TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES);
        Path into = Path.of("target", "web-page.png");
        Files.createDirectories(into.toAbsolutePath().getParent());
        Files.write(into, png);
        String wanted = System.getProperty("clusworker.screenshot");
        if (wanted != null && !wanted.isBlank()) {
            Path file = Path.of(wanted);
            if (file.toAbsolutePath().getParent() != null) {
                Files.createDirectories(file.toAbsolutePath().getParent());
            }
            Files.write(file, png);
            System.out.println("WebPageIT: screenshot saved as " + file.toAbsolutePath());
        }
        System.out.println("WebPageIT: screenshot saved as " + into.toAbsolutePath() + " (" + new File(into.toString()).length() + " bytes)");
    }
}
