// AppLimits.cs — the configuration section "Limits": how much one request, one client and all requests together may
// ask of the service, checked once at start.
namespace DigitsML.WebApp;

/// <summary>Bound from the "Limits" section (appsettings.json, environment variables such as Limits__MaxBodyBytes, or
/// command-line arguments such as --Limits:MaxBodyBytes=65536). Every default is stated on its property; the defaults
/// that depend on the machine are computed from <see cref="Environment.ProcessorCount"/>.</summary>
public sealed class AppLimits
{
    /// <summary>The largest request body read, in bytes; default 1 MiB. A larger body gets a 400 before it is read.</summary>
    public int MaxBodyBytes { get; set; } = 1 << 20;

    /// <summary>The most pixels an uploaded image may have; default 1 Mi (1024 × 1024). Decoding and preparing an image
    /// costs about 8 bytes of memory and 60–120 ns of CPU per pixel (docs/webapp.md), and a small PNG of one colour can
    /// claim far more pixels than it holds: a larger image gets a 400 from its header, before it is decoded.</summary>
    public int MaxImagePixels { get; set; } = 1 << 20;

    /// <summary>Images of more pixels than this are "large": they are decoded under <see cref="LargeImageConcurrency"/>,
    /// apart from everything else, so a flood of them cannot queue the cheap requests; default 262,144 (512 × 512,
    /// about 20 ms of CPU). The draw-a-digit page sends 280 × 280.</summary>
    public int LargeImagePixels { get; set; } = 512 * 512;

    /// <summary>Requests to POST /api/digits in the service at once, bodies being read included (each holds up to
    /// <see cref="MaxBodyBytes"/>); past it a request gets 503 with Retry-After at once; default 128.</summary>
    public int MaxConcurrentRequests { get; set; } = 128;

    /// <summary>Requests to POST /api/digits in the service at once from one client address; past it 429 with
    /// Retry-After; default 0, no limit per client (behind a proxy every client has the proxy's address).</summary>
    public int PerClientConcurrentRequests { get; set; }

    /// <summary>Decodes and scorings of pixels and small images at once; default the number of cores.</summary>
    public int ScoringConcurrency { get; set; } = Environment.ProcessorCount;

    /// <summary>Small requests that may wait for <see cref="ScoringConcurrency"/>; past it 503; default 64.</summary>
    public int ScoringQueue { get; set; } = 64;

    /// <summary>Decodes of large images at once; default a quarter of the cores, at least 1.</summary>
    public int LargeImageConcurrency { get; set; } = Math.Max(1, Environment.ProcessorCount / 4);

    /// <summary>Large images that may wait for <see cref="LargeImageConcurrency"/>; past it 503; default 2.</summary>
    public int LargeImageQueue { get; set; } = 2;

    /// <summary>The seconds a 503 or 429 asks the client to wait (the Retry-After header); default 1.</summary>
    public int RetryAfterSeconds { get; set; } = 1;

    /// <summary>The longest request line (method, target, version) and the most header bytes the app answers; past them
    /// 414 and 431 with a problem-details body. Kestrel itself is set to twice these (its own refusal has no body).
    /// Defaults 8 KiB and 32 KiB, Kestrel's own defaults.</summary>
    public int MaxRequestLineBytes { get; set; } = 8 * 1024;

    /// <summary>See <see cref="MaxRequestLineBytes"/>; the header names and values together, default 32 KiB.</summary>
    public int MaxRequestHeaderBytes { get; set; } = 32 * 1024;

    /// <summary>The "Limits" section of <paramref name="configuration"/>, or false and the one-line reason when a value
    /// is not a number ("Failed to convert configuration value 'lots' at 'Limits:MaxBodyBytes' to type 'System.Int32'.").</summary>
    public static bool TryBind(IConfiguration configuration, out AppLimits limits, out string? error)
    {
        limits = new AppLimits();
        error = null;
        try
        {
            configuration.GetSection("Limits").Bind(limits);
            return true;
        }
        catch (InvalidOperationException e)
        {
            error = e.Message.ReplaceLineEndings(" ");
            return false;
        }
    }

    /// <summary>What is wrong with these limits, in one line naming the setting, or null when they make sense.</summary>
    public string? Problem()
    {
        (string Name, int Value, int Min, int Max)[] ranges =
        [
            ("MaxBodyBytes", MaxBodyBytes, 1, 1 << 30),
            ("MaxImagePixels", MaxImagePixels, 1, DigitFeatures.MaxPixels),
            ("LargeImagePixels", LargeImagePixels, 1, DigitFeatures.MaxPixels),
            ("MaxConcurrentRequests", MaxConcurrentRequests, 1, 1_000_000),
            ("PerClientConcurrentRequests", PerClientConcurrentRequests, 0, 1_000_000),
            ("ScoringConcurrency", ScoringConcurrency, 1, 10_000),
            ("ScoringQueue", ScoringQueue, 0, 1_000_000),
            ("LargeImageConcurrency", LargeImageConcurrency, 1, 10_000),
            ("LargeImageQueue", LargeImageQueue, 0, 1_000_000),
            ("RetryAfterSeconds", RetryAfterSeconds, 1, 3600),
            ("MaxRequestLineBytes", MaxRequestLineBytes, 256, 1 << 20),
            ("MaxRequestHeaderBytes", MaxRequestHeaderBytes, 1024, 1 << 20),
        ];
        foreach (var (name, value, min, max) in ranges)
            if (value < min || value > max)
                return $"Limits:{name} is {value}: it must be between {min:N0} and {max:N0}";
        return null;
    }
}
