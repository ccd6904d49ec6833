// Scores.cs — reading a model's "Score" column: the class each slot stands for, and the two most probable classes.
using System.Globalization;

namespace DigitsML.Cli;

internal static class Scores
{
    /// <summary>The name of each slot of the "Score" column of <paramref name="scored"/>: its slot names (the digits, for
    /// the models digits writes), or "0", "1", ... when it has none.</summary>
    public static IReadOnlyList<string> ClassNames(DataViewSchema scored)
    {
        var score = scored["Score"];
        if (score.HasSlotNames())
        {
            VBuffer<ReadOnlyMemory<char>> names = default;
            score.GetSlotNames(ref names);
            return [.. names.DenseValues().Select(n => n.ToString())];
        }
        return [.. Enumerable.Range(0, ((VectorDataViewType)score.Type).Size).Select(i => i.ToString(CultureInfo.InvariantCulture))];
    }

    /// <summary>The most probable class and the runner-up (ties to the lower index); the runner-up is -1 for one class.</summary>
    public static (int Best, int RunnerUp) TopTwo(ReadOnlySpan<float> score)
    {
        int best = 0, second = -1;
        for (int j = 1; j < score.Length; j++)
            if (score[j] > score[best])
                best = j;
        for (int j = 0; j < score.Length; j++)
            if (j != best && (second < 0 || score[j] > score[second]))
                second = j;
        return (best, second);
    }
}
