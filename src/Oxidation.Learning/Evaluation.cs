using Oxidation.Cves;

namespace Oxidation.Learning;

/// <summary>Precision and recall of one class over a set of (expected, predicted) pairs.</summary>
public sealed record ClassScore(string Class, int Support, int Predicted, int Correct)
{
    /// <summary>Correct / predicted (NaN when never predicted).</summary>
    public double Precision => Predicted == 0 ? double.NaN : (double)Correct / Predicted;

    /// <summary>Correct / support (NaN when never expected).</summary>
    public double Recall => Support == 0 ? double.NaN : (double)Correct / Support;
}

/// <summary>
/// Agreement of predicted classes with labels: exact class, memorySafety and preventedBySafeRust agreement, per-class
/// precision and recall, and the confusion matrix (rows: the label, columns: the prediction).
/// </summary>
public sealed record Agreement(int Count, int Exact, int MemorySafety, int Prevented, IReadOnlyList<ClassScore> Classes, IReadOnlyList<string> ClassNames, int[,] Confusion)
{
    /// <summary>Share with the exact class.</summary>
    public double ExactShare => (double)Exact / Count;

    /// <summary>Share whose memorySafety flag agrees.</summary>
    public double MemorySafetyShare => (double)MemorySafety / Count;

    /// <summary>Share whose preventedBySafeRust flag agrees.</summary>
    public double PreventedShare => (double)Prevented / Count;

    /// <summary>Scores (expected, predicted) pairs over the classes of <paramref name="rules"/>.</summary>
    public static Agreement Of(IEnumerable<(string Expected, string Predicted)> pairs, BugClassifier rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        var names = rules.Classes.ToList();
        var at = names.Select((n, i) => (n, i)).ToDictionary(x => x.n, x => x.i, StringComparer.Ordinal);
        var confusion = new int[names.Count, names.Count];
        int count = 0, exact = 0, memory = 0, prevented = 0;
        foreach (var (expected, predicted) in pairs)
        {
            count++;
            confusion[at[expected], at[predicted]]++;
            if (expected == predicted)
                exact++;
            if (rules.IsMemorySafety(expected) == rules.IsMemorySafety(predicted))
                memory++;
            if (rules.IsPreventedBySafeRust(expected) == rules.IsPreventedBySafeRust(predicted))
                prevented++;
        }
        var scores = names.Select((n, i) =>
        {
            int support = 0, predictedCount = 0;
            for (var j = 0; j < names.Count; j++)
            {
                support += confusion[i, j];
                predictedCount += confusion[j, i];
            }
            return new ClassScore(n, support, predictedCount, confusion[i, i]);
        }).ToList();
        return new Agreement(count, exact, memory, prevented, scores, names, confusion);
    }
}

/// <summary>The out-of-fold outcome for one labelled record: the label, the rules', the model's and the hybrid's decisions.</summary>
public sealed record FoldOutcome(LabelledCve Example, int Fold, Classification Rules, ModelPrediction Model, Classification Hybrid);

/// <summary>
/// Stratified k-fold cross-validation on gold labels: within each class the records are shuffled with a fixed seed
/// and dealt to folds in turn (the deal continues across classes, so folds differ in size by at most one). Each fold's
/// model is trained on the other folds' gold records plus any silver records, and scored on the fold's gold records only.
/// </summary>
public static class CrossValidation
{
    /// <summary>The fold of each example (same order), stratified by class.</summary>
    public static int[] Folds(IReadOnlyList<LabelledCve> gold, int k, int seed)
    {
        ArgumentNullException.ThrowIfNull(gold);
        var folds = new int[gold.Count];
        var random = new Random(seed);
        var next = 0;
        foreach (var group in gold.Select((e, i) => (e, i)).GroupBy(x => x.e.Class, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var members = group.OrderBy(x => x.e.Record.Id, StringComparer.Ordinal).Select(x => x.i).ToArray();
            random.Shuffle(members);
            foreach (var i in members)
                folds[i] = next++ % k;
        }
        return folds;
    }

    /// <summary>
    /// Runs the cross-validation; <paramref name="silver"/> is added to every fold's training data; options with
    /// embeddings need <paramref name="encoder"/> (a <see cref="CachedEncoder"/> encodes each record once across folds).
    /// </summary>
    public static IReadOnlyList<FoldOutcome> Run(IReadOnlyList<LabelledCve> gold, IReadOnlyList<LabelledCve> silver, CveModelOptions options, HybridOptions hybrid, BugClassifier rules, int k = 5, Action<string>? log = null, ICveEncoder? encoder = null)
    {
        ArgumentNullException.ThrowIfNull(gold);
        ArgumentNullException.ThrowIfNull(silver);
        ArgumentNullException.ThrowIfNull(options);
        var goldIds = gold.Select(g => g.Record.Id).ToHashSet(StringComparer.Ordinal);
        if (silver.FirstOrDefault(s => goldIds.Contains(s.Record.Id)) is { } overlap)
            throw new ArgumentException($"silver record {overlap.Record.Id} is also a gold label", nameof(silver));
        var folds = Folds(gold, k, options.Seed);
        var outcomes = new List<FoldOutcome>(gold.Count);
        for (var f = 0; f < k; f++)
        {
            var train = gold.Where((_, i) => folds[i] != f).Concat(silver).ToList();
            var test = gold.Where((_, i) => folds[i] == f).ToList();
            var watch = System.Diagnostics.Stopwatch.StartNew();
            var model = CveModel.Train(train, options, encoder: encoder);
            var trained = watch.Elapsed;
            var predictions = model.Predict([.. test.Select(t => t.Record)]);
            log?.Invoke($"fold {f}: trained on {train.Count} in {trained.TotalSeconds:0.0} s, predicted {test.Count} in {(watch.Elapsed - trained).TotalSeconds:0.0} s");
            var combiner = new HybridClassifier(rules, model, hybrid);
            for (var i = 0; i < test.Count; i++)
            {
                var byRules = rules.Classify(test[i].Record);
                outcomes.Add(new FoldOutcome(test[i], f, byRules, predictions[i], combiner.Combine(test[i].Record, byRules, predictions[i])));
            }
        }
        return [.. outcomes.OrderBy(o => o.Example.Record.Id, StringComparer.Ordinal)];
    }
}
