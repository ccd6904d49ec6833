// AppLimits.cs — the configuration section "Limits": how much one request may ask of the service.
namespace DigitsML.WebApp;

/// <summary>Bound from the "Limits" section (appsettings.json, environment variables such as Limits__MaxBodyBytes, or
/// command-line arguments such as --Limits:MaxBodyBytes=65536).</summary>
public sealed class AppLimits
{
    /// <summary>The largest request body read, in bytes; default 1 MiB. A larger body gets a 400 before it is read.</summary>
    public int MaxBodyBytes { get; set; } = 1 << 20;

    /// <summary>The most pixels an uploaded image may have; default 4 Mi (2048 × 2048). Decoding takes about 8 bytes of
    /// memory per pixel, and a 1 MiB PNG of one colour can claim far more pixels than it holds.</summary>
    public int MaxImagePixels { get; set; } = 4 << 20;
}
