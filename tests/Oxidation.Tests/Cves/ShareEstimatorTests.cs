using Oxidation.Cves;

namespace Oxidation.Tests.Cves;

/// <summary>The difference estimator: values worked by hand, and the interval's coverage in simulation.</summary>
public sealed class ShareEstimatorTests
{
    private static List<(bool, bool)> Pairs(int truePositives, int falseNegatives, int falsePositives, int trueNegatives) =>
        [.. Enumerable.Repeat((true, true), truePositives), .. Enumerable.Repeat((true, false), falseNegatives),
         .. Enumerable.Repeat((false, true), falsePositives), .. Enumerable.Repeat((false, false), trueNegatives)];

    [Fact]
    public void A_classifier_that_misses_a_fifth_of_the_positives_is_corrected_upwards()
    {
        // 100 labelled positives of which 80 found (tpr 0.8), 200 negatives of which 10 called positive (fpr 0.05).
        // Raw share 0.29; label - prediction is +1 on the 20 missed, -1 on the 10 false alarms: 0.29 + 10/300 = 0.32333.
        // Its sd: sqrt((30/300 - (10/300)^2) / 300) = 0.0182, with the population's sqrt(0.29 * 0.71 / 10000) = 0.0045
        // about 0.0187, so the interval is about 0.323 ± 0.037.
        var estimate = ShareEstimator.Estimate(10_000, 2_900, Pairs(80, 20, 10, 190));
        Assert.Equal(0.29, estimate.Raw, 10);
        Assert.Equal(0.8, estimate.TruePositiveRate, 10);
        Assert.Equal(0.05, estimate.FalsePositiveRate, 10);
        Assert.Equal(0.29 + 10 / 300.0, estimate.Corrected, 10);
        Assert.InRange(estimate.Low, 0.28, 0.295);
        Assert.InRange(estimate.High, 0.35, 0.365);
        Assert.Equal(300, estimate.Labelled);
    }

    [Fact]
    public void A_perfect_classifier_is_not_corrected_and_its_interval_is_the_population_sampling_alone()
    {
        var estimate = ShareEstimator.Estimate(14_626, 4_490, Pairs(250, 0, 0, 550));
        Assert.Equal(4_490 / 14_626.0, estimate.Corrected, 10);
        // Binomial sd of the share: sqrt(0.307 * 0.693 / 14626) = 0.0038, so the 95% interval is about ±0.0075.
        Assert.InRange(estimate.High - estimate.Low, 0.012, 0.018);
    }

    [Theory]
    [InlineData(0.02, 0, 10, 0.0)]    // more false alarms among the labels than the raw share holds: clipped at 0
    [InlineData(0.95, 10, 0, 1.0)]    // more misses than the rest of the share allows: clipped at 1
    [InlineData(0.30, 5, 5, 0.30)]    // as many misses as false alarms: the raw share stands
    public void Correction_is_clipped_and_defined_everywhere(double raw, int missed, int falseAlarms, double expected) =>
        Assert.Equal(expected, ShareEstimator.Correct(raw, Pairs(20, missed, falseAlarms, 65)), 10);

    [Fact]
    public void Without_labels_the_raw_share_stands_with_the_widest_interval()
    {
        var estimate = ShareEstimator.Estimate(1_000, 300, []);
        Assert.Equal((0.3, 0.3, 0.0, 1.0), (estimate.Raw, estimate.Corrected, estimate.Low, estimate.High));
    }

    [Fact]
    public void The_same_seed_gives_the_same_interval()
    {
        var labelled = Pairs(70, 30, 20, 280);
        Assert.Equal(ShareEstimator.Estimate(5_000, 1_400, labelled, seed: 7), ShareEstimator.Estimate(5_000, 1_400, labelled, seed: 7));
    }

    [Fact]
    public void The_95_percent_interval_covers_the_true_share_in_about_95_percent_of_simulated_snapshots()
    {
        // A population of 8,000 records, 35% positive; a classifier with tpr 0.78 and fpr 0.06; 400 labelled at random.
        var random = new Random(1);
        const int Runs = 200;
        var covered = 0;
        for (var run = 0; run < Runs; run++)
        {
            var truth = new bool[8_000];
            var predicted = new bool[truth.Length];
            for (var i = 0; i < truth.Length; i++)
            {
                truth[i] = random.NextDouble() < 0.35;
                predicted[i] = random.NextDouble() < (truth[i] ? 0.78 : 0.06);
            }
            var labelled = Enumerable.Range(0, 400).Select(_ => random.Next(truth.Length)).Select(i => (truth[i], predicted[i])).ToList();
            var estimate = ShareEstimator.Estimate(truth.Length, predicted.Count(p => p), labelled, seed: run);
            var share = truth.Count(t => t) / (double)truth.Length;
            covered += estimate.Low <= share && share <= estimate.High ? 1 : 0;
        }
        // Binomial(200, 0.95) lies in [181, 197] with probability > 0.99.
        Assert.InRange(covered, 181, 200);
    }
}
