// DeviceOption.cs — `--device cpu|cuda[:N]`, `--fallback-to-cpu` and `--threads` of `digits train`, resolved ML.NET's way
// into the trainer's options. Only training uses a device: every model scores through ONNX Runtime on the CPU.
using System.CommandLine;
using DigitsML.Engine;
using DigitsML.Networks;
using DigitsML.Trainers;

namespace DigitsML.Cli;

internal sealed class DeviceOption
{
    public Option<string> Device { get; } = new("--device") { Description = "Train on cpu, cuda or cuda:N (default: cpu)", DefaultValueFactory = _ => "cpu" };
    public Option<bool> Fallback { get; } = new("--fallback-to-cpu") { Description = "Train on the CPU when the GPU is missing, with a warning (default: off)" };
    public Option<int> Threads { get; } = new("--threads") { Description = "CPU threads for libtorch (default: all cores)", DefaultValueFactory = _ => Environment.ProcessorCount };

    public void AddTo(Command command)
    {
        command.Options.Add(Device);
        command.Options.Add(Fallback);
        command.Options.Add(Threads);
    }

    /// <summary>Applies --threads, picks the device now (a fall-back to the CPU is said on stderr, once) and returns
    /// <paramref name="options"/> set to train there.</summary>
    /// <exception cref="ArgumentException">--device is not cpu, cuda or cuda:N.</exception>
    /// <exception cref="DeviceUnavailableException">The GPU is missing and --fallback-to-cpu was not given.</exception>
    public CnnTrainer.Options Apply(ParseResult r, CnnTrainer.Options options)
    {
        DigitsRuntime.Threads = r.GetValue(Threads);
        string text = r.GetValue(Device)!.ToLowerInvariant();
        int? gpu = text switch
        {
            "cpu" => null,
            "cuda" => 0,
            _ when text.StartsWith("cuda:", StringComparison.Ordinal) && int.TryParse(text[5..], out int index) && index >= 0 => index,
            _ => throw new ArgumentException($"--device must be cpu, cuda or cuda:N; got '{text}'"),
        };
        // Deciding here rather than in the trainer puts the fall-back warning on stderr, where it belongs even with --json,
        // while the trainer's own log lines go with the rest of the text output.
        var device = Networks.Device.Select(gpu, r.GetValue(Fallback), line => Console.Error.WriteLine($"digits: warning: {line}"));
        return options with { GpuDeviceId = device.Kind == DeviceKind.Cuda ? device.Index : null, FallbackToCpu = false };
    }
}
