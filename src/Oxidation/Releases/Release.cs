using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Oxidation.Releases;

/// <summary>What kind of release a name is: a mainline release <c>6.12</c>, a release candidate <c>6.13-rc1</c>,
/// a stable update <c>6.12.117</c>.</summary>
public enum ReleaseKind
{
    /// <summary><c>X.Y</c>: Linus's release.</summary>
    Mainline,

    /// <summary><c>X.Y-rcN</c>.</summary>
    Candidate,

    /// <summary><c>X.Y.Z</c> (and older four-part names such as <c>2.6.32.1</c>).</summary>
    Stable,
}

/// <summary>
/// A kernel release: its name as written (<c>6.12</c>, <c>6.12.117</c>, <c>6.14-rc1</c>), its numbers and release-candidate
/// number, and its tag (<c>v6.12</c>). The one place that parses, orders and tags release names: the CVE ranges, the
/// history's release tags, the scanner's top Makefile and the report's ordering all use it.
/// </summary>
public sealed partial class Release : IComparable<Release>, IEquatable<Release>
{
    [GeneratedRegex(@"^(?<key>VERSION|PATCHLEVEL|SUBLEVEL|EXTRAVERSION)\s*=[ \t]*(?<value>[^\r\n#]*)", RegexOptions.Multiline)]
    private static partial Regex MakefileVersion();

    private readonly int[] _numbers;

    private Release(string name, int[] numbers, int candidate)
    {
        Name = name;
        _numbers = numbers;
        Candidate = candidate;
    }

    /// <summary>The name as written, without a <c>v</c>: <c>6.12</c>.</summary>
    public string Name { get; }

    /// <summary>The numbers: [6, 12] or [6, 12, 117].</summary>
    public IReadOnlyList<int> Numbers => _numbers;

    /// <summary>The release-candidate number, <see cref="int.MaxValue"/> for a release (so an -rc orders before its release).</summary>
    public int Candidate { get; }

    /// <summary>Mainline, candidate or stable.</summary>
    public ReleaseKind Kind => Candidate != int.MaxValue ? ReleaseKind.Candidate : _numbers.Length == 2 ? ReleaseKind.Mainline : ReleaseKind.Stable;

    /// <summary>The git tag: <c>v6.12</c>.</summary>
    public string Tag => "v" + Name;

    /// <summary>The label of commits after this tag, not yet released: <c>6.12+</c>. The next number is not guessed
    /// (6.19 was followed by 7.0, 4.19 by 4.20).</summary>
    public string NextRelease => Name + "+";

    /// <summary>
    /// Parses a release name as the CNA writes it in ranges and the top Makefile states it: <c>6.12.117</c>, <c>6.13</c>,
    /// <c>6.14-rc1</c>; false unless every part is an ASCII number that fits an int (<c>6.13-rcX</c>, <c>6.x</c> are refused).
    /// </summary>
    public static bool TryParse(string text, out Release release) => TryParse(text, out release!, out _);

    private static bool TryParse(string text, out Release? release, out bool tooLarge)
    {
        release = null;
        tooLarge = false;
        var rc = int.MaxValue;
        var dash = text.IndexOf("-rc", StringComparison.Ordinal);
        var main = dash < 0 ? text : text[..dash];
        if (dash >= 0 && !Number(text.AsSpan(dash + 3), out rc, ref tooLarge))
            return false;
        var pieces = main.Split('.');
        var numbers = new int[pieces.Length];
        for (var i = 0; i < pieces.Length; i++)
        {
            if (!Number(pieces[i], out numbers[i], ref tooLarge))
                return false;
        }
        release = new Release(text, numbers, rc);
        return true;
    }

    private static bool Number(ReadOnlySpan<char> text, out int value, ref bool tooLarge)
    {
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value))
            return true;
        // Digits only, but too many of them: told apart so the caller can say so.
        if (text.Length > 0 && !text.ContainsAnyExceptInRange('0', '9'))
            tooLarge = true;
        return false;
    }

    /// <summary>
    /// Parses a tag name, <c>v6.12</c>; false for anything that is not <c>v</c> and a release of one of the
    /// <paramref name="kinds"/> (mainline only by default: stable <c>v6.1.5</c> and <c>-rc</c> tags are not releases then),
    /// and for one whose numbers do not fit an <see cref="int"/> (<c>v99999999999.1</c>), which <paramref name="tooLarge"/> tells apart.
    /// </summary>
    public static bool TryParseTag(string tag, out Release release, out bool tooLarge, params ReleaseKind[] kinds)
    {
        release = null!;
        tooLarge = false;
        if (tag.Length < 2 || tag[0] != 'v' || !TryParse(tag[1..], out var parsed, out tooLarge))
            return false;
        // A tag is vX.Y, vX.Y-rcN or vX.Y.Z: nothing else (v6, v6.1.2.3, v6.1.0-rc1) names a release of this kernel.
        var shape = parsed!.Kind switch
        {
            ReleaseKind.Mainline => true,
            ReleaseKind.Candidate => parsed._numbers.Length == 2,
            _ => parsed._numbers.Length == 3,
        };
        if (!shape || !(kinds.Length == 0 ? parsed.Kind == ReleaseKind.Mainline : kinds.Contains(parsed.Kind)))
            return false;
        release = parsed;
        return true;
    }

    /// <summary>Parses a mainline tag name (<c>v6.12</c>).</summary>
    public static bool TryParseTag(string tag, out Release release) => TryParseTag(tag, out release, out _);

    /// <summary>The release a top Makefile states: VERSION.PATCHLEVEL.SUBLEVEL plus EXTRAVERSION (e.g. <c>6.12.117</c>,
    /// <c>6.13-rc1</c>); null when it states no VERSION.</summary>
    public static string? FromMakefile(ReadOnlySpan<byte> makefile)
    {
        var text = Encoding.UTF8.GetString(makefile[..Math.Min(makefile.Length, 4096)]);
        var values = MakefileVersion().Matches(text).GroupBy(m => m.Groups["key"].Value)
            .ToDictionary(g => g.Key, g => g.First().Groups["value"].Value.Trim());
        if (!values.TryGetValue("VERSION", out var version) || version.Length == 0 || !version.All(char.IsAsciiDigit))
            return null;
        var release = version;
        if (values.TryGetValue("PATCHLEVEL", out var patch) && patch.Length > 0)
            release += "." + patch;
        if (values.TryGetValue("SUBLEVEL", out var sub) && sub.Length > 0 && sub != "0")
            release += "." + sub;
        return release + values.GetValueOrDefault("EXTRAVERSION", "");
    }

    /// <summary>Orders two releases; missing components count as 0 (6.13 = 6.13.0), an -rc comes before its release.</summary>
    public int CompareTo(Release? other)
    {
        if (other is null)
            return 1;
        for (var i = 0; i < Math.Max(_numbers.Length, other._numbers.Length); i++)
        {
            var x = i < _numbers.Length ? _numbers[i] : 0;
            var y = i < other._numbers.Length ? other._numbers[i] : 0;
            if (x != y)
                return x.CompareTo(y);
        }
        return Candidate.CompareTo(other.Candidate);
    }

    /// <summary>This release's first <paramref name="count"/> numbers, as a release (for <c>6.1.*</c>: any 6.1.x).</summary>
    public Release Prefix(int count) => new(Name, [.. _numbers.Take(count)], int.MaxValue);

    /// <summary>Orders release names (stored releases, claims): by version (6.1.192 before 6.12.117), a leading <c>v</c>
    /// ignored, names that are not versions last, ties by name.</summary>
    public static int CompareNames(string a, string b)
    {
        var okA = TryParse(a.TrimStart('v'), out var ra);
        var okB = TryParse(b.TrimStart('v'), out var rb);
        if (okA && okB)
        {
            var c = ra.CompareTo(rb);
            if (c != 0)
                return c;
        }
        else if (okA != okB)
        {
            return okA ? -1 : 1;
        }
        return string.CompareOrdinal(a, b);
    }

    /// <summary>Release names sorted oldest first (<see cref="CompareNames"/>).</summary>
    public static List<string> SortNames(IEnumerable<string> releases)
    {
        var list = releases.ToList();
        list.Sort(CompareNames);
        return list;
    }

    /// <summary>The release a name picks among sorted names: an exact name, a prefix (6.12 matches 6.12.117), <c>newest</c> or <c>oldest</c>.</summary>
    public static string? Resolve(string wanted, IReadOnlyList<string> sortedReleases)
    {
        if (sortedReleases.Count == 0)
            return null;
        if (wanted is "newest" or "latest" or "mainline")
            return sortedReleases[^1];
        if (wanted == "oldest")
            return sortedReleases[0];
        wanted = wanted.TrimStart('v');
        return sortedReleases.LastOrDefault(r => r == wanted) ?? sortedReleases.LastOrDefault(r => r.StartsWith(wanted + ".", StringComparison.Ordinal));
    }

    /// <inheritdoc />
    public bool Equals(Release? other) => other is not null && Name == other.Name;

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as Release);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Name);

    /// <inheritdoc />
    public override string ToString() => Name;

    /// <summary>Orders releases.</summary>
    public static bool operator <(Release a, Release b) => a.CompareTo(b) < 0;

    /// <summary>Orders releases.</summary>
    public static bool operator >(Release a, Release b) => a.CompareTo(b) > 0;

    /// <summary>Orders releases.</summary>
    public static bool operator <=(Release a, Release b) => a.CompareTo(b) <= 0;

    /// <summary>Orders releases.</summary>
    public static bool operator >=(Release a, Release b) => a.CompareTo(b) >= 0;

    /// <summary>Same name.</summary>
    public static bool operator ==(Release? a, Release? b) => a is null ? b is null : a.Equals(b);

    /// <summary>Different names.</summary>
    public static bool operator !=(Release? a, Release? b) => !(a == b);
}
