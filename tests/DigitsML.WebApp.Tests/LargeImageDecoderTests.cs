// LargeImageDecoderTests.cs — the threads that decode large images: they return the work's result or its exception, and
// on Linux they run at nice 10, below the request threads.
namespace DigitsML.WebApp.Tests;

[TestFixture]
public sealed class LargeImageDecoderTests
{
    /// <summary>The calling thread's nice value, field 19 of /proc/thread-self/stat (after the parenthesised name).</summary>
    private static int OwnNice()
    {
        string stat = File.ReadAllText("/proc/thread-self/stat");
        return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[16]);
    }

    [Test]
    public async Task RunAsync_Work_ItsResultFromAnotherThreadAtNice10()
    {
        using var decoder = new LargeImageDecoder(2);
        int caller = Environment.CurrentManagedThreadId;

        var (thread, nice) = await decoder.RunAsync(() => (Environment.CurrentManagedThreadId, OperatingSystem.IsLinux() ? OwnNice() : -1));

        Assert.That(thread, Is.Not.EqualTo(caller));
        if (OperatingSystem.IsLinux())
        {
            Assert.That(nice, Is.EqualTo(LargeImageDecoder.Niceness));
            // Run at nice 10 already (`nice -n 10 dotnet test`, as on a machine shared with a training job), the test's
            // own thread cannot be told from the decoder's by its nice value: that half is checked only below 10.
            int own = OwnNice();
            if (own < LargeImageDecoder.Niceness)
                Assert.That(own, Is.Not.EqualTo(LargeImageDecoder.Niceness), "the test's own thread keeps its priority");
            else
                TestContext.Out.WriteLine($"the tests run at nice {own}: the test thread's own priority is not checked");
        }
    }

    [Test]
    public void RunAsync_WorkThrows_TheExceptionComesBack()
    {
        using var decoder = new LargeImageDecoder(1);

        Assert.That(async () => await decoder.RunAsync<int>(() => throw new BadDigitRequestException(400, "broken")),
            Throws.TypeOf<BadDigitRequestException>().With.Message.EqualTo("broken"));
    }

    [Test]
    public async Task RunAsync_ManyAtOnce_AllAnswered()
    {
        using var decoder = new LargeImageDecoder(2);

        int[] results = await Task.WhenAll(Enumerable.Range(0, 50).Select(i => decoder.RunAsync(() => i * i)));

        Assert.That(results, Is.EqualTo(Enumerable.Range(0, 50).Select(i => i * i)));
    }
}
