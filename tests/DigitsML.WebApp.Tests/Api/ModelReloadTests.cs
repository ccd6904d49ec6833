// ModelReloadTests.cs — the model file replaced while clients post digits: no request fails, the new model answers,
// /health says which; a file that is not a digit model is kept out.
using System.Net;
using System.Text.Json;
using DigitsML.Testing;

namespace DigitsML.WebApp.Tests.Api;

[TestFixture]
public sealed class ModelReloadTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private static void Replace(string target, string source)
    {
        File.Copy(source, target + ".new", overwrite: true);
        File.Move(target + ".new", target, overwrite: true);   // as a deployment does: beside it, then renamed over it
    }

    private static async Task<JsonElement> HealthAsync(HttpClient client) =>
        JsonDocument.Parse(await client.GetStringAsync("/health")).RootElement;

    private static async Task WaitForAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
                Assert.Fail($"{what} did not happen within {Patience.TotalSeconds} s");
            await Task.Delay(50);
        }
    }

    [Test]
    public async Task ModelFile_ReplacedUnderLoad_NoFailedRequestAndHealthNamesTheNewModel()
    {
        using var folder = new TemporaryDirectory();
        string model = Path.Combine(folder.Path, "digits.zip"), other = Path.Combine(folder.Path, "other.zip");
        File.Copy(TrainedModel.Path, model);
        OccurrenceOrderedModel.Save(other);
        using var host = new WebAppHost(new Dictionary<string, string> { ["Model:Path"] = model });
        using var client = await host.CreateReadyClientAsync();
        var digits = Mnist.TestDigits(20).Select(d => Mnist.Features(d.Pixels)).ToArray();
        Assert.That((await HealthAsync(client)).GetProperty("version").GetInt32(), Is.EqualTo(1));

        using var stop = new CancellationTokenSource();
        var failures = new System.Collections.Concurrent.ConcurrentQueue<string>();
        long answered = 0;
        var clients = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
                foreach (var pixels in digits)
                {
                    var response = await client.PostPixelsAsync(pixels);
                    if (response.StatusCode != HttpStatusCode.OK)
                        failures.Enqueue($"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                    Interlocked.Increment(ref answered);
                }
        })).ToArray();
        await WaitForAsync(() => Task.FromResult(Interlocked.Read(ref answered) > 100), "100 answers before the swap");

        Replace(model, other);
        await WaitForAsync(async () => (await HealthAsync(client)).GetProperty("version").GetInt32() == 2, "the reload");
        long atSwap = Interlocked.Read(ref answered);
        await WaitForAsync(() => Task.FromResult(Interlocked.Read(ref answered) > atSwap + 100), "100 answers after the swap");
        stop.Cancel();
        await Task.WhenAll(clients);

        Assert.That(failures, Is.Empty, string.Join("\n", failures.Take(5)));
        var health = await HealthAsync(client);
        Assert.That(health.GetProperty("status").GetString(), Is.EqualTo("ok"));
        Assert.That(health.GetProperty("sha256").GetString(),
            Is.EqualTo(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(other)))));

        // Not a model: the second model keeps answering and /health says why, without the folder.
        File.WriteAllBytes(Path.Combine(folder.Path, "junk.zip"), [1, 2, 3]);
        Replace(model, Path.Combine(folder.Path, "junk.zip"));
        await WaitForAsync(async () => (await HealthAsync(client)).GetProperty("status").GetString() == "degraded", "the refused reload");
        health = await HealthAsync(client);
        Assert.That(health.GetProperty("version").GetInt32(), Is.EqualTo(2));
        Assert.That(health.GetProperty("lastReloadError").GetString(), Does.StartWith("digits.zip").And.Not.Contain(folder.Path));
        Assert.That((await client.PostPixelsAsync(digits[0])).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }
}
