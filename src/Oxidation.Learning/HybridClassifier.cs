using System.Globalization;
using Oxidation.Cves;

namespace Oxidation.Learning;

/// <summary>Where the rules stop deciding and the model starts; immutable.</summary>
public sealed record HybridOptions
{
    /// <summary>
    /// The rules decide when their confidence is at least this. No default: the shipped one is the recipe's
    /// (<see cref="CveModelRecipe.Hybrid"/>, Medium, chosen by cross-validation: metrics.md), and a second, silent default
    /// once made the tests classify otherwise than <c>cves import</c>.
    /// </summary>
    public required Confidence RulesFrom { get; init; }

    /// <summary>A model decision with at least this probability is Medium confidence, below it Low.</summary>
    public float MediumProbability { get; init; } = 0.6f;
}

/// <summary>
/// The rules where they are certain, the model for the rest (issue 13). Every record gets a class, its derived flags,
/// a confidence and evidence; a model decision's evidence gives its probability, the three labelled records nearest to
/// it and what the rules would have said. A record with no text is <c>other</c>, low confidence. Without options it
/// combines as the recipe says (<see cref="CveModelRecipe.Hybrid"/>), as <see cref="ModelClassifier"/> and so
/// <c>cves import</c> do.
/// </summary>
public sealed class HybridClassifier(BugClassifier rules, CveModel model, HybridOptions? options = null) : ICveClassifier
{
    private readonly HybridOptions _options = options ?? CveModelRecipe.Hybrid;

    /// <summary>The rules' version and the model's, stored with classifications so either change re-classifies.</summary>
    public string Version => $"{rules.Version}+{model.Version}";

    /// <summary>The hybrid's out-of-fold classes of the model's gold training records (stored in the model file by the trainer).</summary>
    public IReadOnlyDictionary<string, string> OutOfFoldClasses => model.OutOfFoldClasses;

    /// <summary>Classifies <paramref name="records"/> on every core.</summary>
    public IReadOnlyList<Classification> Classify(IReadOnlyList<CveRecord> records) => Classify(records, 0);

    /// <summary>Classifies <paramref name="records"/>; the model's part in batches on <paramref name="parallelism"/> threads.</summary>
    public IReadOnlyList<Classification> Classify(IReadOnlyList<CveRecord> records, int parallelism)
    {
        ArgumentNullException.ThrowIfNull(records);
        var results = new Classification?[records.Count];
        var byRules = new Classification[records.Count];
        Parallel.For(0, records.Count, new ParallelOptions { MaxDegreeOfParallelism = parallelism > 0 ? parallelism : Environment.ProcessorCount },
            i => byRules[i] = rules.Classify(records[i]));
        var toModel = new List<int>();
        for (var i = 0; i < records.Count; i++)
        {
            if (CveText.Of(records[i]).Length == 0)
                results[i] = Make(BugClassifier.NoTextClass, Confidence.Low, BugClassifier.NoTextEvidence);
            else if (byRules[i].Confidence >= _options.RulesFrom)
                results[i] = byRules[i] with { Evidence = "rules: " + byRules[i].Evidence };
            else
                toModel.Add(i);
        }
        var predictions = model.Predict([.. toModel.Select(i => records[i])], parallelism);
        for (var k = 0; k < toModel.Count; k++)
        {
            var i = toModel[k];
            results[i] = FromModel(predictions[k], byRules[i]);
        }
        return [.. results.Select(r => r!)];
    }

    /// <summary>The hybrid's decision for a record whose rules result and model prediction are known (for cross-validation).</summary>
    public Classification Combine(CveRecord record, Classification byRules, ModelPrediction prediction)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(byRules);
        if (CveText.Of(record).Length == 0)
            return Make(BugClassifier.NoTextClass, Confidence.Low, BugClassifier.NoTextEvidence);
        return byRules.Confidence >= _options.RulesFrom ? byRules with { Evidence = "rules: " + byRules.Evidence } : FromModel(prediction, byRules);
    }

    private Classification FromModel(ModelPrediction prediction, Classification byRules)
    {
        var nearest = string.Join(", ", prediction.Nearest.Select(n => string.Create(CultureInfo.InvariantCulture, $"{n.Id} {n.Class} {n.Similarity:0.00}")));
        var evidence = string.Create(CultureInfo.InvariantCulture,
            $"model {model.Version}: p={prediction.Probability:0.00}; nearest labelled: {nearest}; rules: {byRules.Class} ({byRules.Confidence.ToString().ToLowerInvariant()}, {byRules.Evidence})");
        return Make(prediction.Class, prediction.Probability >= _options.MediumProbability ? Confidence.Medium : Confidence.Low, evidence);
    }

    private Classification Make(string cls, Confidence confidence, string evidence) =>
        new(cls, rules.IsMemorySafety(cls), rules.IsPreventedBySafeRust(cls), confidence, evidence);
}
