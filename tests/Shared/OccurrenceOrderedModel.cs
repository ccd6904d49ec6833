// OccurrenceOrderedModel.cs — an ordinary ML.NET digit model whose label keys are in occurrence order (MapValueToKey,
// then SdcaMaximumEntropy) trained on 300 MNIST training images: Score's slot i is NOT the digit i (issues 19 and 20,
// row 4), and it answers unlike a DigitsML CNN (the reload tests swap one for the other). Compiled into each test project.
using DigitsML;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DigitsML.Testing;

internal static class OccurrenceOrderedModel
{
    /// <summary>Trains the model on the first <paramref name="rows"/> MNIST training images and saves it to
    /// <paramref name="path"/>; with <paramref name="valueAtEnd"/> the pipeline ends with MapKeyToValue("PredictedLabel").</summary>
    public static string Save(string path, int rows = 300, bool valueAtEnd = false)
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.TakeRows(ml.Data.LoadFromIdx(MnistFiles.TrainImages, MnistFiles.TrainLabels), rows);
        IEstimator<ITransformer> pipeline = ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(ml.MulticlassClassification.Trainers.SdcaMaximumEntropy(maximumNumberOfIterations: 10));
        if (valueAtEnd)
            pipeline = pipeline.Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel"));
        var model = pipeline.Fit(data);
        ml.Model.Save(model, data.Schema, path);
        return path;
    }

    /// <summary>The label keys' values in key order: the digits as they first occur in the data.</summary>
    public static float[] KeyValues(ITransformer model, IDataView data)
    {
        var column = model.GetOutputSchema(data.Schema)["Label"];
        VBuffer<float> values = default;
        column.GetKeyValues(ref values);
        return [.. values.DenseValues()];
    }
}
