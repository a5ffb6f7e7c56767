using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Oxidation.Cves;

/// <summary>How sure a classification is: a sanitizer title or explicit phrase (high), an implied mechanism (medium), nothing (low).</summary>
public enum Confidence
{
    /// <summary>No signal: the default class.</summary>
    Low,
    /// <summary>The described mechanism implies the class.</summary>
    Medium,
    /// <summary>A sanitizer report title or an explicit phrase names the class.</summary>
    High,
}

/// <summary>The class of one record, its derived flags, and the words that decided it.</summary>
public sealed record Classification(string Class, bool MemorySafety, bool PreventedBySafeRust, Confidence Confidence, string Evidence);

/// <summary>
/// Classifies kernel CVE records by bug class with transparent rules from <c>data/bug-classes.json</c>
/// (docs/cve-classes.md): offline, deterministic, and every decision carries its evidence.
/// </summary>
public sealed partial class BugClassifier : ICveClassifier
{
    private readonly Dictionary<string, (bool MemorySafety, bool Prevented)> _classes;
    private readonly Dictionary<string, int> _priority;
    private readonly HashSet<string> _causes;
    private readonly string _default;
    private readonly Regex _negation;
    private readonly List<(string Class, string Kind, Regex Pattern)> _signals;

    private BugClassifier(JsonElement root, string version)
    {
        Version = version;
        _classes = root.GetProperty("classes").EnumerateArray().ToDictionary(
            c => c.GetProperty("name").GetString()!,
            c => (c.GetProperty("memorySafety").GetBoolean(), c.GetProperty("preventedBySafeRust").GetBoolean()));
        _priority = root.GetProperty("priority").EnumerateArray().Select((p, i) => (p.GetString()!, i)).ToDictionary(x => x.Item1, x => x.i);
        _causes = [.. root.GetProperty("causeClasses").EnumerateArray().Select(c => c.GetString()!)];
        _default = root.GetProperty("defaultClass").GetString()!;
        _negation = new Regex(root.GetProperty("negation").GetString()!, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
        _signals = [.. root.GetProperty("signals").EnumerateArray().Select(s => (
            s.GetProperty("class").GetString()!,
            s.GetProperty("kind").GetString()!,
            new Regex(s.GetProperty("pattern").GetString()!, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Compiled, TimeSpan.FromSeconds(1))))];
        var unknown = _signals.Select(s => s.Class).Concat(_priority.Keys).Append(_default).Where(c => !_classes.ContainsKey(c)).ToList();
        if (unknown.Count > 0)
            throw new InvalidDataException($"bug-classes.json: unknown class {unknown[0]}");
        if (!_causes.Contains(SplatClass))
            throw new InvalidDataException($"bug-classes.json: causeClasses must list {SplatClass}, the consequence a splat in the body gives a cause in the subject");
    }

    /// <summary>The classifier built from the shipped rules.</summary>
    public static BugClassifier Default { get; } = Load();

    /// <summary>
    /// The revision of the decision order <see cref="Classify(string, string)"/> implements; it is part of
    /// <see cref="Version"/>, so a change to the order re-classifies stored records as a change to the rules file does.
    /// Raise it with every change to how the signals are combined. 2: a splat in the body is the consequence of another cause
    /// class in the subject (a race whose only stated effect is a BUG_ON is an assertion). 3: line breaks
    /// and runs of white space are one space before matching.
    /// </summary>
    public const int DecisionOrder = 3;

    /// <summary>The class of a splat (WARN_ON, BUG_ON): the consequence of any other cause class in the subject when the body states no worse one.</summary>
    public const string SplatClass = "assertion";

    /// <summary>A short hash of the rules file and <see cref="DecisionOrder"/>, stored with classifications so changed rules re-classify.</summary>
    public string Version { get; }

    /// <summary>Every class name, in priority order.</summary>
    public IEnumerable<string> Classes => _priority.OrderBy(p => p.Value).Select(p => p.Key);

    /// <summary>Whether a class is a memory-safety class.</summary>
    public bool IsMemorySafety(string cls) => _classes.TryGetValue(cls, out var c) && c.MemorySafety;

    /// <summary>Whether safe Rust would have prevented a bug of this class (docs/cve-classes.md).</summary>
    public bool IsPreventedBySafeRust(string cls) => _classes.TryGetValue(cls, out var c) && c.Prevented;

    /// <summary>Classifies one record; a record with no subject and no body is <c>other</c>, low confidence (nothing to read).</summary>
    public Classification Classify(CveRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return string.IsNullOrWhiteSpace(record.Subject) && string.IsNullOrWhiteSpace(record.Body)
            ? Result(NoTextClass, Confidence.Low, NoTextEvidence)
            : Classify(record.Subject, record.Body);
    }

    /// <summary>The class of a record with no text.</summary>
    public const string NoTextClass = "other";

    /// <summary>The evidence of a record with no text.</summary>
    public const string NoTextEvidence = "no text";

    /// <summary>Classifies every record on every core, same order.</summary>
    public IReadOnlyList<Classification> Classify(IReadOnlyList<CveRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        var results = new Classification[records.Count];
        Parallel.For(0, records.Count, i => results[i] = Classify(records[i]));
        return results;
    }

    /// <summary>The rules were trained on no labels: empty.</summary>
    public IReadOnlyDictionary<string, string> OutOfFoldClasses { get; } = new Dictionary<string, string>();

    /// <summary>Classifies a commit subject and body.</summary>
    public Classification Classify(string subject, string body)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(body);
        // Commit messages wrap at ~72 columns: a phrase broken over two lines is the same phrase.
        subject = Whitespace().Replace(subject, " ");
        body = Whitespace().Replace(body, " ");
        var all = subject + "\n" + body;
        var inSubject = Best(Matches("phrase", subject));
        if (inSubject is { } named && !_causes.Contains(named.Class))
            return Result(named.Class, Confidence.High, $"subject: \"{named.Text}\"");
        var sanitizer = Best(Matches("sanitizer", all));
        if (sanitizer is { } s)
            return Result(s.Class, Confidence.High, $"sanitizer report: \"{s.Text}\"");
        var inBody = Matches("phrase", body).ToList();
        if (inSubject is { } cause)
        {
            // A race or an overflow that leads to a use-after-free is classed by its consequence; failing one, a splat
            // the body states is the consequence of any other cause in the subject: a race whose only stated effect is
            // a BUG_ON is an assertion (docs/cve-labelling.md R1, R4).
            var consequence = Best(inBody.Where(m => !_causes.Contains(m.Class)))
                ?? Best(inBody.Where(m => m.Class == SplatClass && cause.Class != SplatClass));
            return consequence is { } c
                ? Result(c.Class, Confidence.High, $"subject: \"{cause.Text}\"; consequence in body: \"{c.Text}\"")
                : Result(cause.Class, Confidence.High, $"subject: \"{cause.Text}\"");
        }
        if (Best(inBody) is { } b)
            return Result(b.Class, Confidence.High, $"body: \"{b.Text}\"");
        // Mechanisms are tried in the order of the rules file: the more specific ones come first.
        var mechanism = Matches("mechanism", all).FirstOrDefault();
        if (mechanism.Class is not null)
            return Result(mechanism.Class, Confidence.Medium, $"mechanism: \"{mechanism.Text}\"");
        return Result(_default, Confidence.Low, "no class signal");
    }

    private Classification Result(string cls, Confidence confidence, string evidence)
    {
        var (memorySafety, prevented) = _classes[cls];
        return new Classification(cls, memorySafety, prevented, confidence, evidence);
    }

    private IEnumerable<(string Class, string Text)> Matches(string kind, string text)
    {
        foreach (var (cls, k, pattern) in _signals)
        {
            if (k != kind)
                continue;
            foreach (Match m in pattern.Matches(text))
            {
                var before = text[Math.Max(0, m.Index - 40)..m.Index];
                if (!_negation.IsMatch(before))
                {
                    yield return (cls, m.Value.Trim());
                    break;
                }
            }
        }
    }

    private (string Class, string Text)? Best(IEnumerable<(string Class, string Text)> matches)
    {
        (string Class, string Text)? best = null;
        foreach (var m in matches)
        {
            if (best is null || _priority[m.Class] < _priority[best.Value.Class])
                best = m;
        }
        return best;
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    private static BugClassifier Load()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("bug-classes.json")
            ?? throw new InvalidOperationException("bug-classes.json is not embedded");
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        var bytes = memory.ToArray();
        var version = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(
            [.. bytes, .. System.Text.Encoding.UTF8.GetBytes($"\ndecision order {DecisionOrder}")]))[..12];
        using var doc = JsonDocument.Parse(bytes, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
        return new BugClassifier(doc.RootElement, version);
    }
}
