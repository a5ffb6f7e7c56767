using Oxidation.Cves;

namespace Oxidation.Learning.Tests;

/// <summary>
/// The classifier users get (<see cref="ModelClassifier.Embedded"/>, which <c>cves import</c> and <c>cves classify</c>
/// run) on the 220 held-out labels of labels-v1.tsv. The holdout was scored once, 2026-12-02
/// (data/cve-labels/holdout-score-v1.md: exact 154, memorySafety 186, preventedBySafeRust 190 of 220, from an import of
/// the snapshot); these tests only keep a retrained model or a rule change from falling below that score unnoticed.
/// Nothing here was tuned on these records.
/// </summary>
public sealed class HoldoutTests
{
    private static readonly Lazy<IReadOnlyList<(CveLabel Label, CveRecord Record)>> Holdout = new(() =>
        [.. CveLabels.Read(Snapshot.LabelsV1).Where(l => l.Set == "holdout").Select(l => (l, Snapshot.ById[l.Id]))]);

    private static readonly Lazy<IReadOnlyList<Classification>> Shipped = new(() =>
        ModelClassifier.Embedded().Classify([.. Holdout.Value.Select(h => h.Record)]));

    [Fact]
    public void The_holdout_is_the_220_records_scored_once()
    {
        Assert.Equal(220, Holdout.Value.Count);
        // grep -c holdout data/cve-labels/labels-v1.tsv; none of them is a training record of the model.
        var model = CveModel.Load(Snapshot.CommittedModel);
        Assert.Empty(Holdout.Value.Select(h => h.Label.Id).Intersect(model.LabelledIds));
    }

    [Fact]
    public void The_shipped_classifier_keeps_the_holdout_score_it_was_measured_at()
    {
        var agreement = Agreement.Of(Holdout.Value.Zip(Shipped.Value, (h, c) => (h.Label.Class, c.Class)), BugClassifier.Default);
        // Measured values of holdout-score-v1.md minus a margin of two records (about 1 point).
        Assert.True(agreement.Exact >= 152, $"exact class {agreement.Exact}/220, scored 154");
        Assert.True(agreement.MemorySafety >= 184, $"memorySafety {agreement.MemorySafety}/220, scored 186");
        Assert.True(agreement.Prevented >= 188, $"preventedBySafeRust {agreement.Prevented}/220, scored 190");
    }

    /// <summary>
    /// Labels v3 (240 records, all held out, read by four readers under the guide), scored once on 2026-12-03 with the
    /// model trained without silver (data/cve-labels/holdout-score-v3.md: 174, 207 and 218 of 240). The floor is that
    /// score minus two records; none of these records trains the model or calibrates the shares.
    /// </summary>
    [Fact]
    public void The_shipped_classifier_keeps_the_second_holdout_score()
    {
        var v3 = CveLabels.Read(Snapshot.LabelsV3);
        Assert.Equal(240, v3.Count);
        Assert.All(v3, l => Assert.Equal("holdout", l.Set));
        Assert.Empty(v3.Select(l => l.Id).Intersect(CveModel.Load(Snapshot.CommittedModel).LabelledIds));
        var classified = ModelClassifier.Embedded().Classify([.. v3.Select(l => Snapshot.ById[l.Id])]);
        var agreement = Agreement.Of(v3.Zip(classified, (l, c) => (l.Class, c.Class)), BugClassifier.Default);
        Assert.True(agreement.Exact >= 172, $"exact class {agreement.Exact}/240, scored 174");
        Assert.True(agreement.MemorySafety >= 205, $"memorySafety {agreement.MemorySafety}/240, scored 207");
        Assert.True(agreement.Prevented >= 216, $"preventedBySafeRust {agreement.Prevented}/240, scored 218");
    }

    [Fact]
    public void The_hybrid_without_options_classifies_as_the_shipped_classifier()
    {
        // Once the hybrid's default let the rules decide only from High while the shipped recipe says Medium, so
        // in-process tests saw 7 of these 220 records classed otherwise than cves import stored them.
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
