package org.clusworker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.clusworker.agents.support.ProcessTree;
import org.clusworker.cli.admin.AdminFile;
import org.clusworker.cli.admin.AdminJson;
import org.clusworker.cli.testing.Cli;
import org.clusworker.cli.testing.HostProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.Alert;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Black-box: the web page of a cluster node shows the cluster (nodes, groups, owners, epochs), follows
 * it live, and moves a group with a confirmation: a real ZooKeeper server process, two
 * {@code clusworker run} nodes, a real headless Chromium (skipped, saying why, without it).
 */
class WebPageClusterIT {

    private static final Duration LONG = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private final List<HostProcess> processes = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(10)).build();

    @AfterEach
    void stopAll() {
        for (HostProcess p : processes) {
            p.close();
        }
        ProcessHandle.allProcesses().filter(p -> p.info().commandLine().map(c -> c.contains(dir.toString())).orElse(false))
                .forEach(ProcessTree::killTree);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
        return http.send(b.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    @Timeout(240)
    void clusterNodePage_showsNodesAndGroups_followsAMove_andMovesAGroupWithConfirmation() throws Exception {
        int port = freePort();
        HostProcess zk = HostProcess.start(Files.createDirectories(dir.resolve("zk-home")), "zookeeper", "--port", Integer.toString(port),
                "-d", dir.resolve("zk").toString(), "--tick", "200ms");
        processes.add(zk);
        zk.awaitOutput("serving on", LONG);
        Path file = dir.resolve("cluster.yaml");
        Files.writeString(file, """
                host:
                  name: webc
                  stateDirectory: %1$s/state
                cluster:
                  name: webc
                  nodes: [a, b]
                  zookeeper: {connect: "127.0.0.1:%2$d/clusworker/webc", sessionTimeout: 3s, tickTime: 200ms}
                  lease: {probeInterval: 200ms, pauseAllowance: 300ms, takeoverDelay: 200ms}
                groups:
                  - name: web
                    resources: [server]
                    preferredOwners: [a]
                    stopBudget: 500ms
                resources:
                  - name: server
                    type: process
                    parameters:
                      command: [sleep, "600"]
                """.formatted(dir, port));
        // a first, and b once web is Online on a: started together, b may join first (or a's lease be late) on a
        // loaded machine, and b, first up, keeps web (failback prevented)
        processes.add(HostProcess.start(Files.createDirectories(dir.resolve("home-a")), "run", file.toString(), "--node", "a", "--view", "plain"));
        Path stateA = dir.resolve("state/a");
        org.awaitility.Awaitility.await("node a's admin file").atMost(LONG).until(() -> Files.exists(stateA.resolve("admin.json")));
        AdminFile a = AdminFile.read(stateA, AdminJson.mapper());
        URI cluster = a.url().resolve("v1/cluster");
        org.awaitility.Awaitility.await("web online on a").atMost(LONG).pollInterval(Duration.ofMillis(200)).until(() ->
                send(HttpRequest.newBuilder(cluster).header("Authorization", "Bearer " + a.token())).body()
                        .matches("(?s).*\"owner\" *: *\"a\".*\"phase\" *: *\"ONLINE\".*"));
        processes.add(HostProcess.start(Files.createDirectories(dir.resolve("home-b")), "run", file.toString(), "--node", "b", "--view", "plain"));
        try {
            org.awaitility.Awaitility.await("web online on a, b up").atMost(LONG).pollInterval(Duration.ofMillis(200)).until(() -> {
                String body = send(HttpRequest.newBuilder(cluster).header("Authorization", "Bearer " + a.token())).body();
                return body.matches("(?s).*\"name\" *: *\"b\",\\s*\"up\" *: *true.*") && body.matches("(?s).*\"owner\" *: *\"a\".*\"phase\" *: *\"ONLINE\".*");
            });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("web not Online on a with b up; the API says " + send(HttpRequest.newBuilder(cluster)
                    .header("Authorization", "Bearer " + a.token())).body() + "\nnode a:\n" + processes.get(1).out() + processes.get(1).err()
                    + "\nnode b:\n" + processes.get(2).out() + processes.get(2).err(), e);
        }

        // the API: without a token 401; a bad move names what is wrong and changes nothing
        assertThat(send(HttpRequest.newBuilder(cluster)).statusCode()).isEqualTo(401);
        HttpResponse<String> bad = send(HttpRequest.newBuilder(a.url().resolve("v1/cluster/groups/web/move"))
                .header("Authorization", "Bearer " + a.token()).POST(HttpRequest.BodyPublishers.ofString("{\"to\": \"nope\"}")));
        assertThat(bad.statusCode()).as(bad.body()).isEqualTo(409);
        assertThat(bad.body()).contains("no node 'nope' in cluster webc");

        Path chromium = List.of("/usr/lib/chromium/chromium", "/usr/bin/chromium").stream().map(Path::of).filter(Files::isExecutable)
                .findFirst().orElse(null);
        Assumptions.assumeTrue(chromium != null && Files.isExecutable(WebPageIT.CHROMEDRIVER),
                "skipped: the browser part needs Chromium and ChromeDriver (Debian: apt-get install chromium chromium-driver)");
        Cli.Result open = Cli.run("open", "--state-dir", stateA.toString());
        assertThat(open.exitCode()).as(open.toString()).isEqualTo(ExitCodes.OK);
        WebDriver driver = browser(chromium);
        try {
            driver.get(open.out().strip());
            WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(20));
            wait.until(d -> d.findElements(By.cssSelector("#cluster-groups tr[data-group='web']")).size() == 1);
            assertThat(driver.findElement(By.cssSelector("#cluster-nodes")).getText()).contains("a", "b", "up");
            assertThat(cell(driver, "web", 2)).isEqualTo("a");
            JavascriptExecutor js = (JavascriptExecutor) driver;
            js.executeScript("window.__noReload = 7");

            // a move from the page: the prompt for the node, then the confirmation; dismissing changes nothing
            driver.findElement(By.cssSelector("tr[data-group='web'] button")).click();
            wait.until(ExpectedConditions.alertIsPresent()).dismiss();
            driver.findElement(By.cssSelector("tr[data-group='web'] button")).click();
            Alert prompt = wait.until(ExpectedConditions.alertIsPresent());
            assertThat(prompt.getText()).contains("Move group \"web\" from a");
            prompt.sendKeys("b");
            prompt.accept();
            Alert confirm = wait.until(ExpectedConditions.alertIsPresent());
            assertThat(confirm.getText()).isEqualTo("Move group \"web\" to b?");
            confirm.accept();
            new WebDriverWait(driver, LONG).until(d -> cell(d, "web", 2).equals("b") && cell(d, "web", 4).equals("Online"));
            assertThat(cell(driver, "web", 3)).isEqualTo("2");
            assertThat(js.executeScript("return window.__noReload")).as("no reload").isEqualTo(7L);
            assertThat(send(HttpRequest.newBuilder(cluster).header("Authorization", "Bearer " + a.token())).body())
                    .containsPattern("\"owner\" *: *\"b\"");
        } finally {
            driver.quit();
        }
    }

    /** The text of a group's cell (1-based column), read in one script: the page replaces the rows. */
    private static String cell(WebDriver d, String group, int column) {
        Object text = ((JavascriptExecutor) d).executeScript("const c = document.querySelector(\"#cluster-groups tr[data-group='\" + arguments[0]"
                + " + \"'] td:nth-child(\" + arguments[1] + \")\"); return c ? c.textContent : '';", group, column);
        return text == null ? "" : text.toString();
    }

    private WebDriver browser(Path chromium) throws Exception {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1280,1000",
                "--user-data-dir=" + Files.createDirectories(dir.resolve("chromium-profile")), "--no-first-run", "--disable-extensions");
        options.setPageLoadTimeout(Duration.ofSeconds(30));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(WebPageIT.CHROMEDRIVER.toFile())
                .usingAnyFreePort().withLogFile(dir.resolve("chromedriver.log").toFile()).withEnvironment(Map.of("HOME", dir.toString())).build();
        return new ChromeDriver(service, options);
    }
}
