// ExportCommand.cs — `digits export`: the ONNX graph inside a model file, on its own, for ONNX Runtime anywhere (or
// ML.NET's ApplyOnnxModel).
using System.CommandLine;

namespace DigitsML.Cli;

internal static class ExportCommand
{
    public static Command Create()
    {
        var model = new Argument<FileInfo>("model") { Description = "Model file written by `digits train` or `digits ensemble`" };
        var output = new Option<FileInfo>("--out") { Description = "ONNX file to write (default: the model's name with .onnx)" };
        var command = new Command("export", "Write the model's network (or its voting ensemble, as one graph) as an ONNX file: " +
                                            "input Features (batch, 1, 28, 28) in [0, 1], output Score (batch, classes) probabilities");
        command.Arguments.Add(model);
        command.Options.Add(output);
        command.SetAction(r =>
        {
            var file = r.GetValue(model)!;
            string path = r.GetValue(output)?.FullName ?? Path.ChangeExtension(file.FullName, ".onnx");
            // The zip already holds the graph ApplyOnnxModel scores with: it is copied out as it is, nothing is loaded.
            OnnxGraphs.SaveFromModelFile(file.FullName, path);
            Console.WriteLine($"ONNX model written to {path}");
            return 0;
        });
        return command;
    }
}
