namespace Oxidation.Learning;

/// <summary>
/// What scripts/train-cve-model.sh trains, chosen by cross-validation on the training labels
/// (data/cve-model/comparison*.md): one place, read by the trainer and by the tests that pin its figures.
/// </summary>
public static class CveModelRecipe
{
    /// <summary>The model's options.</summary>
    public static CveModelOptions Options { get; } = new() { WordNgrams = 2, CharNgrams = 0 };

    /// <summary>
    /// Where the rules stop deciding: from Medium confidence, except three steps where the out-of-fold model was right more
    /// often than the rules on the 2,410 training labels (metrics.md, 2026-12-03): a race named in the body (rules right on 6
    /// of 40, the model on 18), a NULL mechanism (56 and 70 of 84) and a stall or lockup mechanism (0 and 3 of 7). The
    /// trainer writes the out-of-fold classes of this recipe into the model file, so a change here needs a retrain.
    /// </summary>
    public static HybridOptions Hybrid { get; } = new()
    {
        RulesFrom = Cves.Confidence.Medium,
        ModelDecides = [("data-race", Cves.RuleSignal.Body), ("null-deref", Cves.RuleSignal.Mechanism), ("infinite-loop", Cves.RuleSignal.Mechanism)],
    };

    /// <summary>The weight of silver records (0: none). None since 2026-12-03: on 990 labels silver no longer helps the
    /// hybrid (data/cve-model/README.md, comparison-silver.md).</summary>
    public const float SilverWeight = 0f;

    /// <summary>
    /// How many silver records (a random sample with the options' seed): training on all ~9,000 costs about ten
    /// times the gold folds' time on this machine, so a fixed sample was measured and is used.
    /// </summary>
    public const int SilverSample = 3000;

    /// <summary>The silver records of the recipe: a fixed random sample of <paramref name="all"/>, in id order.</summary>
    public static IReadOnlyList<LabelledCve> Sample(IReadOnlyList<LabelledCve> all, int count, int seed)
    {
        ArgumentNullException.ThrowIfNull(all);
        var shuffled = all.ToArray();
        new Random(seed).Shuffle(shuffled);
        return [.. shuffled.Take(count).OrderBy(s => s.Record.Id, StringComparer.Ordinal)];
    }
}
