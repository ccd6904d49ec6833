// DeviceOption.cs — `--device cpu|cuda[:N]` and `--fallback-to-cpu`, resolved ML.NET's way.
using System.CommandLine;
using DigitsML.Engine;

namespace DigitsML.Cli;

internal sealed class DeviceOption
{
    public Option<string> Device { get; } = new("--device") { Description = "cpu, cuda or cuda:N (default: cpu)", DefaultValueFactory = _ => "cpu" };
    public Option<bool> Fallback { get; } = new("--fallback-to-cpu") { Description = "Continue on the CPU when the GPU is missing (default: off)" };
    public Option<int> Threads { get; } = new("--threads") { Description = "CPU threads for libtorch (default: all cores)", DefaultValueFactory = _ => Environment.ProcessorCount };

    public void AddTo(Command command)
    {
        command.Options.Add(Device);
        command.Options.Add(Fallback);
        command.Options.Add(Threads);
    }

    /// <summary>Applies --threads and returns an MLContext set to the requested device, ML.NET's way.</summary>
    public MLContext CreateContext(ParseResult r, int? seed = null)
    {
        TorchRuntime.Threads = r.GetValue(Threads);
        string text = r.GetValue(Device)!.ToLowerInvariant();
        int? gpu = text switch
        {
            "cpu" => null,
            "cuda" => 0,
            _ when text.StartsWith("cuda:") && int.TryParse(text[5..], out int index) && index >= 0 => index,
            _ => throw new ArgumentException($"--device must be cpu, cuda or cuda:N; got '{text}'"),
        };
        var ml = new MLContext(seed) { GpuDeviceId = gpu, FallbackToCpu = r.GetValue(Fallback) };
        ml.Log += (_, e) =>
        {
            if (e.Kind is ChannelMessageKind.Warning or ChannelMessageKind.Error)
                Console.Error.WriteLine($"digits: {e.RawMessage}");
        };
        return ml;
    }
}
