namespace Oxidation.Learning;

/// <summary>
/// What scripts/train-cve-model.sh trains, chosen by cross-validation on the training labels
/// (data/cve-model/comparison*.md): one place, read by the trainer and by the tests that pin its figures.
/// </summary>
public static class CveModelRecipe
{
    /// <summary>The model's options.</summary>
    public static CveModelOptions Options { get; } = new() { WordNgrams = 2, CharNgrams = 0 };

    /// <summary>Where the rules stop deciding.</summary>
    public static HybridOptions Hybrid { get; } = new() { RulesFrom = Cves.Confidence.Medium };

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
