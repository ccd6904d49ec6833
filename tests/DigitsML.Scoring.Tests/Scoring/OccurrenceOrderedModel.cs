// OccurrenceOrderedModel.cs — an ordinary ML.NET model whose label keys are in occurrence order (MapValueToKey, then
// SdcaMaximumEntropy), trained on a few hundred MNIST rows: Score's slot i is NOT the digit i (issues 19 and 20, row 4).
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DigitsML.Scoring.Tests.Scoring;

internal static class OccurrenceOrderedModel
{
    /// <summary>Trains the model on the first <paramref name="rows"/> MNIST test images and saves it to
    /// <paramref name="path"/>; with <paramref name="valueAtEnd"/> the pipeline ends with MapKeyToValue("PredictedLabel").</summary>
    public static string Save(string path, int rows = 300, bool valueAtEnd = false)
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.TakeRows(ml.Data.LoadFromIdx(TestData.TestImages, TestData.TestLabels), rows);
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
