namespace Oxidation.Cves;

/// <summary>A labels file could not be read: the file, the line and the reason.</summary>
public sealed class CveLabelsException(string path, int line, string reason)
    : Exception($"{path}:{line}: {reason}")
{
    /// <summary>The labels file.</summary>
    public string Path { get; } = path;

    /// <summary>The 1-based line of the problem.</summary>
    public int Line { get; } = line;
}

/// <summary>
/// One hand label (docs/cve-labelling.md): the class a reader gave a record, a second plausible class where the
/// guide's rules had to decide, the rule that decided, who read it, and the words that decided.
/// </summary>
public sealed record CveLabel(string Id, string Set, string Class, string? Alternative, string? Rule, string Labeller, string Note);

/// <summary>
/// Reads hand-label files: tab-separated, <c>#</c> comment lines, a header line naming the columns. The columns
/// <c>id</c> and <c>class</c> are required; <c>set</c>, <c>alt</c>, <c>rule</c>, <c>labeller</c> and <c>note</c> are
/// read where present. An unknown class, a duplicate id, a malformed id or a short line is an error naming the file
/// and line, so a typo never becomes a silent label.
/// </summary>
public static partial class CveLabels
{
    [System.Text.RegularExpressions.GeneratedRegex(@"^CVE-\d{4}-\d{4,}$")]
    private static partial System.Text.RegularExpressions.Regex CveIdPattern();

    /// <summary>Reads the labels of <paramref name="path"/>, checking classes against <paramref name="classifier"/>'s.</summary>
    public static IReadOnlyList<CveLabel> Read(string path, BugClassifier? classifier = null) => Read(File.ReadLines(path), path, classifier);

    /// <summary>
    /// The labels that correct the statistics for the classifier's errors (docs/cve-classes.md): the training records of
    /// every labels file (labels-v1.tsv and any later one, labels-v2.tsv, … embedded at build time), random samples of the
    /// published records that no rule was written on. The held-out records are never among them: they are for scoring the
    /// classifier once, at the end. A record labelled in two files is an error naming both.
    /// </summary>
    public static IReadOnlyList<CveLabel> Calibration => CalibrationLabels.Value;

    /// <summary>The embedded labels files, by name (labels-v1.tsv, …), in name order.</summary>
    public static IReadOnlyList<string> CalibrationFiles => [.. EmbeddedFiles().Select(f => f.Name)];

    private static IEnumerable<(string Name, string Resource)> EmbeddedFiles() =>
        System.Reflection.Assembly.GetExecutingAssembly().GetManifestResourceNames()
            .Where(n => n.StartsWith("cve-labels/", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(n => (n["cve-labels/".Length..], n));

    private static readonly Lazy<IReadOnlyList<CveLabel>> CalibrationLabels = new(() =>
    {
        var labels = new List<CveLabel>();
        var from = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, resource) in EmbeddedFiles())
        {
            using var stream = System.Reflection.Assembly.GetExecutingAssembly().GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            var lines = new List<string>();
            while (reader.ReadLine() is { } line)
                lines.Add(line);
            var path = "data/cve-labels/" + name;
            foreach (var label in Read(lines, path))
            {
                if (from.TryGetValue(label.Id, out var first))
                    throw new CveLabelsException(path, 0, $"{label.Id} is also labelled in {first}");
                from[label.Id] = path;
                if (Calibrates(label))
                    labels.Add(label);
            }
        }
        if (labels.Count == 0)
            throw new InvalidOperationException("no labels file is embedded (data/cve-labels/labels-v*.tsv)");
        return labels;
    });

    /// <summary>The only set of a labels file that calibration may use, and that rules and models may use until a held-out set is spent.</summary>
    public const string TrainSet = "train";

    /// <summary>The set of the rows a classifier is scored on once, at the end.</summary>
    public const string HoldoutSet = "holdout";

    /// <summary>
    /// The labels files whose held-out rows have been scored once and are spent: labels-v1.tsv's 220
    /// (data/cve-labels/holdout-score-v1.md, 2026-12-02) and labels-v3.tsv's 240 (holdout-score-v3.md, 2026-12-03).
    /// From then on they train the model, and the rules were revised looking at them (as at the earlier 150's tune set),
    /// so they never calibrate the shares: <see cref="Calibration"/> keeps the <c>train</c> rows alone. A classifier
    /// changed after a score is scored on a later sample's held-out rows.
    /// </summary>
    public static IReadOnlySet<string> SpentHoldouts { get; } = new HashSet<string>(["labels-v1.tsv", "labels-v3.tsv"], StringComparer.Ordinal);

    /// <summary>Whether a row of a labels file calibrates the shares (<see cref="Calibration"/>): a <c>train</c> row, never a held-out one, spent or not.</summary>
    public static bool Calibrates(CveLabel label)
    {
        ArgumentNullException.ThrowIfNull(label);
        return label.Set == TrainSet;
    }

    /// <summary>Whether a row of the labels file <paramref name="file"/> may train a model: a <c>train</c> row, or a held-out row of a spent file.</summary>
    public static bool Trains(string file, CveLabel label)
    {
        ArgumentNullException.ThrowIfNull(label);
        return Calibrates(label) || (label.Set == HoldoutSet && SpentHoldouts.Contains(System.IO.Path.GetFileName(file)));
    }

    /// <summary>Reads labels from <paramref name="lines"/>; <paramref name="path"/> names them in errors.</summary>
    public static IReadOnlyList<CveLabel> Read(IEnumerable<string> lines, string path, BugClassifier? classifier = null)
    {
        var known = (classifier ?? BugClassifier.Default).Classes.ToHashSet(StringComparer.Ordinal);
        var labels = new List<CveLabel>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        Dictionary<string, int>? columns = null;
        var number = 0;
        foreach (var line in lines)
        {
            number++;
            if (line.Length == 0 || line.StartsWith('#'))
                continue;
            var fields = line.Split('\t');
            if (columns is null)
            {
                columns = fields.Select((f, i) => (f.Trim(), i)).ToDictionary(c => c.Item1, c => c.i, StringComparer.Ordinal);
                if (!columns.ContainsKey("id") || !columns.ContainsKey("class"))
                    throw new CveLabelsException(path, number, "the header line must name the columns id and class (tab-separated)");
                continue;
            }
            if (fields.Length != columns.Count)
                throw new CveLabelsException(path, number, $"{fields.Length} fields, the header names {columns.Count}");
            string? Field(string name) => columns.TryGetValue(name, out var i) ? fields[i].Trim() : null;
            string? Optional(string name) => Field(name) is { Length: > 0 } v && v != "-" ? v : null;
            var id = Field("id")!;
            if (!CveIdPattern().IsMatch(id))
                throw new CveLabelsException(path, number, $"'{id}' is not a CVE id (CVE-YYYY-N)");
            var cls = Field("class")!;
            if (!known.Contains(cls))
                throw new CveLabelsException(path, number, $"{id}: unknown class '{cls}' (known: {string.Join(", ", known)})");
            var alternative = Optional("alt");
            if (alternative is not null && !known.Contains(alternative))
                throw new CveLabelsException(path, number, $"{id}: unknown alternative class '{alternative}'");
            if (seen.TryGetValue(id, out var first))
                throw new CveLabelsException(path, number, $"{id} is labelled twice (first on line {first})");
            seen[id] = number;
            labels.Add(new CveLabel(id, Optional("set") ?? "", cls, alternative, Optional("rule"), Optional("labeller") ?? "", Field("note") ?? ""));
        }
        if (columns is null)
            throw new CveLabelsException(path, Math.Max(number, 1), "no header line (id, class, … tab-separated)");
        return labels;
    }
}
