// WebAppHost.cs — samples/WebApp in ASP.NET Core's in-process test host, serving the trained model, with settings and
// services a test may change; CreateReadyClient waits until the model is loaded.
using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace DigitsML.WebApp.Tests;

internal sealed class WebAppHost(IReadOnlyDictionary<string, string>? settings = null, Action<IServiceCollection>? services = null)
    : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Model:Path", TrainedModel.Path);
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
            builder.UseSetting(key, value);
        if (services is not null)
            builder.ConfigureServices(services);
    }

    /// <summary>A client, once /health says the model is loaded (the app loads it in the background).</summary>
    public async Task<HttpClient> CreateReadyClientAsync()
    {
        var client = CreateClient();
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(1);
        while ((await client.GetAsync("/health")).StatusCode != HttpStatusCode.OK)
        {
            if (DateTime.UtcNow > deadline)
                Assert.Fail("the app did not load its model within a minute");
            await Task.Delay(50);
        }
        return client;
    }
}
