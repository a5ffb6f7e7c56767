using Oxidation.Cves;

namespace Oxidation.Learning;

/// <summary>One record with the class a model is trained or scored on; <see cref="Weight"/> is below 1 for silver labels.</summary>
public sealed record LabelledCve(CveRecord Record, string Class, bool Silver = false, float Weight = 1f);

/// <summary>
/// The training labels of issue 13: every row of the earlier 150 labels (their tune and holdout sets were both scored
/// already), and of each later labels file (labels-v1.tsv, labels-v2.tsv, …) the rows with <c>set=train</c> and the
/// held-out rows of a spent file (<see cref="CveLabels.SpentHoldouts"/>: scored once already). The held-out rows of a
/// file not yet scored are dropped as they are read and never reach a model, a fold or a metric.
/// </summary>
public static class TrainingData
{
    /// <summary>The only set of a labels file that training and cross-validation may use.</summary>
    public const string TrainSet = CveLabels.TrainSet;

    /// <summary>The labels files of <paramref name="labelsDirectory"/> (labels-v*.tsv), in name order.</summary>
    public static IReadOnlyList<string> LabelFiles(string labelsDirectory) =>
        [.. Directory.EnumerateFiles(labelsDirectory, "labels-v*.tsv").Order(StringComparer.Ordinal)];

    /// <summary>
    /// The sample files of <paramref name="labelsDirectory"/> (sample-vN.tsv: every id drawn for labelling, the held-out
    /// ones included) whose labels file (labels-vN.tsv) has landed, in name order. A sample is reserved from silver data
    /// once its labels exist (they become gold, and gold and silver must not overlap); until then its records are
    /// ordinary unlabelled records, so a sample drawn but not yet labelled does not change the model.
    /// </summary>
    public static IReadOnlyList<string> SampleFiles(string labelsDirectory) =>
        [.. Directory.EnumerateFiles(labelsDirectory, "sample-v*.tsv")
            .Where(s => File.Exists(Path.Combine(labelsDirectory, "labels-" + Path.GetFileName(s)["sample-".Length..])))
            .Order(StringComparer.Ordinal)];

    /// <summary>Reads the training labels: all of <paramref name="earlierLabels"/>, the rows of each of <paramref name="labelFiles"/> that <see cref="CveLabels.Trains"/>.</summary>
    public static IReadOnlyList<CveLabel> ReadLabels(string earlierLabels, params string[] labelFiles)
    {
        ArgumentNullException.ThrowIfNull(labelFiles);
        var labels = new List<CveLabel>(CveLabels.Read(earlierLabels));
        var from = labels.ToDictionary(l => l.Id, _ => earlierLabels, StringComparer.Ordinal);
        foreach (var file in labelFiles)
        {
            foreach (var label in CveLabels.Read(file))
            {
                if (from.TryGetValue(label.Id, out var first))
                    throw new InvalidDataException($"{label.Id} is labelled in both {first} and {file}");
                from[label.Id] = file;
                if (CveLabels.Trains(file, label))
                    labels.Add(label);
            }
        }
        return labels;
    }

    /// <summary>
    /// Every id that is labelled or sampled for labelling anywhere, the held-out ones included, read from the label
    /// files' id columns and the sample file (ids only): silver data must never include one of them.
    /// </summary>
    public static IReadOnlySet<string> ReservedIds(params string[] files)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            var header = true;
            foreach (var line in File.ReadLines(file))
            {
                if (line.Length == 0 || line.StartsWith('#'))
                    continue;
                var id = line.Split('\t', 2)[0].Trim();
                if (header)
                {
                    if (id != "id")
                        throw new InvalidDataException($"{file}: the first column must be id");
                    header = false;
                    continue;
                }
                ids.Add(id);
            }
        }
        return ids;
    }

    /// <summary>Joins labels with their records; a label whose record is not in the snapshot is an error naming it.</summary>
    public static IReadOnlyList<LabelledCve> Join(IEnumerable<CveLabel> labels, IReadOnlyDictionary<string, CveRecord> records) =>
        [.. labels.Select(l => records.TryGetValue(l.Id, out var r)
            ? new LabelledCve(r, l.Class)
            : throw new InvalidDataException($"{l.Id} is labelled but not in the snapshot"))];

    /// <summary>
    /// Silver labels: the rules' high-confidence classes of published records whose ids are not reserved (labelled or
    /// sampled anywhere), in id order.
    /// </summary>
    public static IReadOnlyList<LabelledCve> Silver(IEnumerable<CveRecord> records, IReadOnlySet<string> reserved, BugClassifier rules, float weight) =>
        [.. records
            .Where(r => r.State == "published" && !reserved.Contains(r.Id))
            .OrderBy(r => r.Id, StringComparer.Ordinal)
            .Select(r => (Record: r, Result: rules.Classify(r)))
            .Where(x => x.Result.Confidence == Confidence.High)
            .Select(x => new LabelledCve(x.Record, x.Result.Class, Silver: true, Weight: weight))];
}
