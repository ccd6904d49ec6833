// ScheduleTests.cs — learning-rate schedules against the rates PyTorch's schedulers give (golden/schedules.json from tests/golden/make_golden.py).
using System.Text.Json;
using DigitsML.Engine;
using DigitsML.Networks;

namespace DigitsML.Tests.Engine;

[TestFixture]
public sealed class ScheduleTests
{
    private static IEnumerable<TestCaseData> GoldenCases()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(EngineFixtures.GoldenPath("schedules.json")));
        int index = 0;
        foreach (var c in document.RootElement.GetProperty("cases").EnumerateArray())
        {
            string kind = c.GetProperty("kind").GetString()!;
            LearningRateSchedule schedule = kind switch
            {
                "Step" => new StepLR(c.GetProperty("stepSize").GetInt32(), c.GetProperty("gamma").GetDouble()),
                "Exponential" => new ExponentialLR(c.GetProperty("gamma").GetDouble()),
                "OneCycle" => new OneCycleLR(c.GetProperty("maxRate").GetDouble(), c.GetProperty("pctStart").GetDouble(),
                    c.GetProperty("divFactor").GetDouble(), c.GetProperty("finalDivFactor").GetDouble()),
                _ => throw new InvalidDataException($"unknown schedule kind {kind} in schedules.json"),
            };
            double[] rates = c.GetProperty("rates").EnumerateArray().Select(r => r.GetDouble()).ToArray();
            yield return new TestCaseData(schedule, c.GetProperty("baseRate").GetDouble(), c.GetProperty("epochs").GetInt32(),
                    c.GetProperty("stepsPerEpoch").GetInt32(), rates)
                .SetName($"RateAt_{kind}Case{index++}_MatchesPyTorchScheduler");
        }
    }

    [TestCaseSource(nameof(GoldenCases))]
    public void RateAt_GoldenCase_MatchesPyTorch(LearningRateSchedule schedule, double baseRate, int epochs, int stepsPerEpoch, double[] expected)
    {
        Assert.That(expected, Has.Length.EqualTo(epochs * stepsPerEpoch));
        Assert.Multiple(() =>
        {
            for (int t = 0; t < expected.Length; t++)
            {
                int epoch = t / stepsPerEpoch, step = t % stepsPerEpoch;
                double rate = schedule.RateAt(baseRate, epoch, step, stepsPerEpoch, epochs);
                Assert.That(rate, Is.EqualTo(expected[t]).Within(1e-12 * Math.Max(1, Math.Abs(expected[t]))), $"epoch {epoch}, step {step}");
            }
        });
    }

    [Test]
    public void RateAt_OneCycleLR_StartsPeaksAndEndsWherePyTorchDefines()
    {
        var schedule = new OneCycleLR(MaxRate: 0.1);
        const int steps = 10, epochs = 10;   // 100 steps; the peak is step 0.3·100 − 1 = 29

        Assert.That(schedule.RateAt(1.0, 0, 0, steps, epochs), Is.EqualTo(0.1 / 25).Within(1e-15));
        Assert.That(schedule.RateAt(1.0, 2, 9, steps, epochs), Is.EqualTo(0.1).Within(1e-15));
        Assert.That(schedule.RateAt(1.0, 9, 9, steps, epochs), Is.EqualTo(0.1 / 25 / 1e4).Within(1e-15));
    }

    [Test]
    public void RateAt_ConstantLR_IsTheBaseRate()
    {
        Assert.That(new ConstantLR().RateAt(0.03, 7, 5, 10, 9), Is.EqualTo(0.03));
    }
}
