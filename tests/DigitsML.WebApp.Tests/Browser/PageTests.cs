// PageTests.cs — the draw-a-digit page in a real browser: Debian's headless Chromium, driven by Playwright (its .NET
// package carries its Node driver; no browser is downloaded), against the app in its own process on a loopback port. A
// "1" drawn with a finger and a "7" with the mouse, through pointer events, must be read; the screenshot goes to docs/.
// With a reader configured, a number written in "Write a number" is read and shown with its confidences.
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace DigitsML.WebApp.Tests.Browser;

[TestFixture]
[Category("Browser")]
public sealed class PageTests
{
    private const string Chromium = "/usr/bin/chromium";

    /// <summary>Set to 1 to update the tracked docs/webapp.png with this run's screenshot (on purpose, not every run).</summary>
    public const string UpdateDocsScreenshot = "DIGITSML_UPDATE_DOCS_SCREENSHOT";

    [Test]
    public async Task Page_DigitsDrawnWithFingerAndMouse_AnswerAndBarsShown()
    {
        if (!File.Exists(Chromium))
            Assert.Fail("Debian's chromium is not installed: run build/test.sh (its set-up installs it) or apt-get install chromium.");
        // The shipped reader is turned off: this page has no "Write a number" (the other test has a reader).
        var (app, address) = await AppProcess.StartAsync($"--Model:Path={TrainedModel.Path}", "--Reader:Enabled=false");
        using var _ = app;
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = Chromium, Headless = true, Timeout = 60_000, Args = ["--no-sandbox", "--disable-gpu"],
        });
        // A phone: the page must be usable there, and a finger must draw rather than scroll.
        var page = await browser.NewPageAsync(new()
        {
            ViewportSize = new() { Width = 390, Height = 844 }, DeviceScaleFactor = 2, IsMobile = true, HasTouch = true,
        });
        page.SetDefaultTimeout(30_000);
        var violations = new List<string>();  // the security headers must not break the page: no blocked script, style, fetch
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
                lock (violations)
                    violations.Add(message.Text);
        };
        await page.GotoAsync(address.AbsoluteUri);
        await Expect(page.Locator("#model")).ToHaveTextAsync($"model: {Path.GetFileName(TrainedModel.Path)}");
        await Expect(page.Locator("#model")).ToHaveAttributeAsync("title", new System.Text.RegularExpressions.Regex("^SHA-256 [0-9a-f]{64}$"));
        await Expect(page.Locator("#numbers")).ToBeHiddenAsync(); // no reader: no "Write a number"
        var pad = (await page.Locator("#pad").BoundingBoxAsync())!;
        (float X, float Y) At(double x, double y) => ((float)(pad.X + x * pad.Width), (float)(pad.Y + y * pad.Height));

        // A "1" with a finger: touch events through the DevTools protocol, which the page sees as pointer events.
        var devTools = await page.Context.NewCDPSessionAsync(page);
        await Touch(devTools, "touchStart", At(0.54, 0.2));
        foreach (var point in Stroke(At(0.54, 0.2), At(0.46, 0.8), 20))
            await Touch(devTools, "touchMove", point);
        await Touch(devTools, "touchEnd", null);
        await ExpectAnswer(page, 1);

        await page.Locator("#clear").ClickAsync();
        await Expect(page.Locator("#digit")).ToHaveTextAsync("?");
        await Expect(page.Locator("#bars li.top")).ToHaveCountAsync(0);

        // A "7" with the mouse: along the top, then down to the left.
        var start = At(0.25, 0.22);
        await page.Mouse.MoveAsync(start.X, start.Y);
        await page.Mouse.DownAsync();
        var corner = At(0.75, 0.22);
        await page.Mouse.MoveAsync(corner.X, corner.Y, new() { Steps = 15 });
        var end = At(0.42, 0.82);
        await page.Mouse.MoveAsync(end.X, end.Y, new() { Steps = 20 });
        await page.Mouse.UpAsync();
        await ExpectAnswer(page, 7);

        int pngBytes = await page.EvaluateAsync<int>("() => new Promise(done => document.getElementById('pad').toBlob(b => done(b.size), 'image/png'))");
        TestContext.Out.WriteLine($"the page sends the 7 as a PNG of {pngBytes:N0} bytes");

        lock (violations)
            Assert.That(violations, Is.Empty, "Content-Security-Policy violations");

        // The screenshot goes to the test's own output; the tracked docs/webapp.png changes only when asked for.
        string docs = Path.Combine(Build.RepoRoot, "docs", "webapp.png");
        byte[]? docsBefore = File.Exists(docs) ? File.ReadAllBytes(docs) : null;
        string screenshot = Path.Combine(TestContext.CurrentContext.WorkDirectory, "screenshots", "webapp.png");
        Directory.CreateDirectory(Path.GetDirectoryName(screenshot)!);
        await page.ScreenshotAsync(new() { Path = screenshot, FullPage = true, Animations = ScreenshotAnimations.Disabled });
        TestContext.AddTestAttachment(screenshot, "the page with a 7 drawn and read");
        TestContext.Out.WriteLine($"screenshot: {screenshot}");
        if (Environment.GetEnvironmentVariable(UpdateDocsScreenshot) == "1")
        {
            File.Copy(screenshot, docs, overwrite: true);
            TestContext.Out.WriteLine($"{UpdateDocsScreenshot}=1: copied to {docs}");
        }
        else
        {
            Assert.That(File.Exists(docs) ? File.ReadAllBytes(docs) : null, Is.EqualTo(docsBefore),
                $"docs/webapp.png is tracked: only {UpdateDocsScreenshot}=1 may change it");
        }
    }

    [Test]
    public async Task Page_NumberWrittenAndRead_NumberAndConfidencesShown()
    {
        if (!File.Exists(Chromium))
            Assert.Fail("Debian's chromium is not installed: run build/test.sh (its set-up installs it) or apt-get install chromium.");
        var (app, address) = await AppProcess.StartAsync($"--Model:Path={TrainedModel.Path}", $"--Reader:Path={Api.NumbersApiTests.ReaderPath}");
        using var _ = app;
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = Chromium, Headless = true, Timeout = 60_000, Args = ["--no-sandbox", "--disable-gpu"],
        });
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1024, Height = 900 } });
        page.SetDefaultTimeout(30_000);
        var violations = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
                lock (violations)
                    violations.Add(message.Text);
        };
        await page.GotoAsync(address.AbsoluteUri);
        await Expect(page.Locator("#model")).ToHaveTextAsync($"model: {Path.GetFileName(TrainedModel.Path)} · reader: reader-model.zip");
        await Expect(page.Locator("#numbers")).ToBeVisibleAsync();
        await Expect(page.Locator("#read")).ToBeDisabledAsync();
        var line = (await page.Locator("#line").BoundingBoxAsync())!;
        (float X, float Y) At(double x, double y) => ((float)(line.X + x * line.Width), (float)(line.Y + y * line.Height));

        // "17" with the mouse: a 1, then a 7 beside it.
        foreach (var stroke in new[] { new[] { At(0.3, 0.2), At(0.28, 0.8) }, new[] { At(0.4, 0.2), At(0.55, 0.2), At(0.45, 0.8) } })
        {
            await page.Mouse.MoveAsync(stroke[0].X, stroke[0].Y);
            await page.Mouse.DownAsync();
            foreach (var point in stroke.Skip(1))
                await page.Mouse.MoveAsync(point.X, point.Y, new() { Steps = 15 });
            await page.Mouse.UpAsync();
        }
        await Expect(page.Locator("#read")).ToBeEnabledAsync();
        await page.Locator("#read").ClickAsync();

        // The provisional reader may read no digit (then the page shows the service's reason); any reading is shown
        // with one confidence per digit and '?' where a digit is uncertain.
        await Expect(page.Locator("#number")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^([0-9?]+|!)$"));
        string number = (await page.Locator("#number").TextContentAsync())!;
        if (number == "!")
            await Expect(page.Locator("#number-error")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^no number found: "));
        else
        {
            await Expect(page.Locator("#number-digits li")).ToHaveCountAsync(number.Length);
            await Expect(page.Locator("#number-digits li.uncertain")).ToHaveCountAsync(number.Count(c => c == '?'));
            await Expect(page.Locator("#number-digits li").First).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^[0-9] [0-9.<]+ ?%$"));
        }
        TestContext.Out.WriteLine($"wrote 17, read {number}: {await page.Locator("#number-note").TextContentAsync()} {await page.Locator("#number-error").TextContentAsync()}");

        await page.Locator("#clear-line").ClickAsync();
        await Expect(page.Locator("#number")).ToHaveTextAsync("…");
        await Expect(page.Locator("#read")).ToBeDisabledAsync();
        lock (violations)
            Assert.That(violations, Is.Empty, "Content-Security-Policy violations");
    }

    private static async Task ExpectAnswer(IPage page, int digit)
    {
        await Expect(page.Locator("#result")).ToHaveAttributeAsync("data-state", "done");
        await Expect(page.Locator("#digit")).ToHaveTextAsync($"{digit}");
        await Expect(page.Locator("#error")).ToBeEmptyAsync();
        await Expect(page.Locator("#bars li")).ToHaveCountAsync(10);
        // The bar of the answer is the highlighted one, and the longest.
        var top = page.Locator("#bars li.top");
        await Expect(top).ToHaveCountAsync(1);
        Assert.That(await top.Locator("span").First.TextContentAsync(), Is.EqualTo($"{digit}"));
        // The widths the page set (the drawn ones are still sliding there, by a CSS transition).
        var widths = await page.Locator("#bars .fill").EvaluateAllAsync<double[]>("fills => fills.map(f => parseFloat(f.style.width))");
        Assert.That(Array.IndexOf(widths, widths.Max()), Is.EqualTo(digit));
        // ... and drawn so: once the transition ends, each bar fills its share of the track.
        await page.WaitForFunctionAsync("""
            () => [...document.querySelectorAll('#bars .fill')].every(f =>
                Math.abs(f.getBoundingClientRect().width - parseFloat(f.style.width) / 100 * f.parentElement.getBoundingClientRect().width) < 1.5)
            """);
        TestContext.Out.WriteLine($"drew {digit}: {await page.Locator("#probability").TextContentAsync()}, {await page.Locator("#runner-up").TextContentAsync()}");
    }

    private static IEnumerable<(float X, float Y)> Stroke((float X, float Y) from, (float X, float Y) to, int steps) =>
        Enumerable.Range(1, steps).Select(i => (from.X + (to.X - from.X) * i / steps, from.Y + (to.Y - from.Y) * i / steps));

    private static Task Touch(ICDPSession devTools, string type, (float X, float Y)? point) =>
        devTools.SendAsync("Input.dispatchTouchEvent", new Dictionary<string, object>
        {
            ["type"] = type,
            ["touchPoints"] = point is { } p ? new object[] { new Dictionary<string, object> { ["x"] = p.X, ["y"] = p.Y } } : Array.Empty<object>(),
        });
}
