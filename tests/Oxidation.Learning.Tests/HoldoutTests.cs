using Oxidation.Cves;

namespace Oxidation.Learning.Tests;

/// <summary>
/// The classifier users get (<see cref="ModelClassifier.Embedded"/>, which <c>cves import</c> and <c>cves classify</c>
/// run) on the 240 held-out labels of labels-v4.tsv, scored once on 2026-12-03 17:25 UTC (and on labels v5's, below)
/// (data/cve-labels/holdout-score-v4.md: exact 189, memorySafety 221, preventedBySafeRust 215 of 240, from an import of
/// the snapshot); these tests only keep a rule change from falling below that score unnoticed. Nothing was tuned on
/// these records. The earlier held-out sets (labels v1's 220, v3's 240) are spent: they train the model now
/// (<see cref="CveLabels.SpentHoldouts"/>), so no floor is kept on them.
/// </summary>
public sealed class HoldoutTests
{
    private static readonly Lazy<IReadOnlyList<(CveLabel Label, CveRecord Record)>> Holdout = new(() =>
        [.. CveLabels.Read(Snapshot.LabelsV4).Where(l => l.Set == "holdout").Select(l => (l, Snapshot.ById[l.Id]))]);

    private static readonly Lazy<IReadOnlyList<Classification>> Shipped = new(() =>
        ModelClassifier.Embedded().Classify([.. Holdout.Value.Select(h => h.Record)]));

    [Fact]
    public void The_holdout_is_the_240_records_scored_once_and_none_trains_the_model()
    {
        // grep -c holdout data/cve-labels/labels-v4.tsv (the comment lines aside): 240.
        Assert.Equal(240, Holdout.Value.Count);
        var model = CveModel.Load(Snapshot.CommittedModel);
        Assert.Empty(Holdout.Value.Select(h => h.Label.Id).Intersect(model.LabelledIds));
        Assert.DoesNotContain(CveLabels.Calibration, l => Holdout.Value.Any(h => h.Label.Id == l.Id));
        // The spent sets do train it.
        var v3 = CveLabels.Read(Snapshot.LabelsV3);
        Assert.Equal(240, v3.Count(l => model.LabelledIds.Contains(l.Id)));
    }

    [Fact]
    public void The_shipped_classifier_keeps_the_holdout_score_it_was_measured_at()
    {
        var agreement = Agreement.Of(Holdout.Value.Zip(Shipped.Value, (h, c) => (h.Label.Class, c.Class)), BugClassifier.Default);
        // Measured values of holdout-score-v4.md minus a margin of two records (about 1 point).
        Assert.True(agreement.Exact >= 187, $"exact class {agreement.Exact}/240, scored 189");
        Assert.True(agreement.MemorySafety >= 219, $"memorySafety {agreement.MemorySafety}/240, scored 221");
        Assert.True(agreement.Prevented >= 213, $"preventedBySafeRust {agreement.Prevented}/240, scored 215");
    }

    /// <summary>
    /// Labels v5 (240 records, all held out, read by four readers under the guide), scored once on 2026-12-03 18:07 UTC
    /// (data/cve-labels/holdout-score-v5.md): the shipped classifier 195, 218 and 217 of 240; a candidate change scored
    /// lower and was reverted, so this choice was made on these records. The floor is that score minus two records; none
    /// of these records trains the model or calibrates the shares.
    /// </summary>
    [Fact]
    public void The_shipped_classifier_keeps_the_second_holdout_score()
    {
        var v5 = CveLabels.Read(Snapshot.LabelsV5);
        Assert.Equal(240, v5.Count);
        Assert.All(v5, l => Assert.Equal("holdout", l.Set));
        Assert.Empty(v5.Select(l => l.Id).Intersect(CveModel.Load(Snapshot.CommittedModel).LabelledIds));
        Assert.DoesNotContain(CveLabels.Calibration, l => v5.Any(v => v.Id == l.Id));
        var classified = ModelClassifier.Embedded().Classify([.. v5.Select(l => Snapshot.ById[l.Id])]);
        var agreement = Agreement.Of(v5.Zip(classified, (l, c) => (l.Class, c.Class)), BugClassifier.Default);
        Assert.True(agreement.Exact >= 193, $"exact class {agreement.Exact}/240, scored 195");
        Assert.True(agreement.MemorySafety >= 216, $"memorySafety {agreement.MemorySafety}/240, scored 218");
        Assert.True(agreement.Prevented >= 215, $"preventedBySafeRust {agreement.Prevented}/240, scored 217");
    }

    [Fact]
    public void The_hybrid_without_options_classifies_as_the_shipped_classifier()
    {
        // Once the hybrid's default let the rules decide only from High while the shipped recipe says Medium, so
        // in-process tests saw 7 of labels v1's 220 held-out records classed otherwise than cves import stored them.
        Assert.Equal(File.ReadAllBytes(Snapshot.CommittedModel), CveModel.EmbeddedBytes());
        var hybrid = new HybridClassifier(BugClassifier.Default, CveModel.Load(Snapshot.CommittedModel));
        var inProcess = hybrid.Classify([.. Holdout.Value.Select(h => h.Record)]);
        Assert.Equal(Shipped.Value, inProcess);
    }

    [Theory]
    // Records the rules class at Medium confidence, which the recipe lets them decide (checked 2026-12-03 against the
    // rules' evidence): the two defaults disagreed on these.
    [InlineData("CVE-2024-58066")]
    [InlineData("CVE-2021-46935")]
    public void Where_the_rules_are_medium_they_decide(string id)
    {
        var record = Snapshot.ById[id];
        var rules = BugClassifier.Default.Classify(record);
        Assert.Equal(Confidence.Medium, rules.Confidence);
        var shipped = ModelClassifier.Embedded().Classify([record])[0];
        Assert.Equal(rules.Class, shipped.Class);
        Assert.StartsWith("rules: ", shipped.Evidence);
    }
}
