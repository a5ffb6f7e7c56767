using System.Globalization;
using System.Text.RegularExpressions;

namespace Oxidation.History;

/// <summary>A mainline release tag: <c>v6.1</c>, <c>v6.12</c>, <c>v7.0</c> (stable <c>v6.1.5</c> and <c>-rc</c> tags are not releases here).</summary>
public readonly partial record struct ReleaseTag(string Name, int Major, int Minor) : IComparable<ReleaseTag>
{
    [GeneratedRegex(@"^v(?<major>[0-9]+)\.(?<minor>[0-9]+)$")]
    private static partial Regex Pattern();

    /// <summary>The release's name without the <c>v</c>: <c>6.12</c>.</summary>
    public string Release => Name[1..];

    /// <summary>Parses a tag name; false for anything that is not <c>vX.Y</c>.</summary>
    public static bool TryParse(string name, out ReleaseTag tag) => TryParse(name, out tag, out _);

    /// <summary>Parses a tag name; false for anything that is not <c>vX.Y</c>, and for a <c>vX.Y</c> whose numbers do not fit an
    /// <see cref="int"/> (<c>v99999999999.1</c>), which <paramref name="tooLarge"/> tells apart.</summary>
    public static bool TryParse(string name, out ReleaseTag tag, out bool tooLarge)
    {
        tag = default;
        var m = Pattern().Match(name);
        if (!m.Success)
        {
            tooLarge = false;
            return false;
        }
        var fits = int.TryParse(m.Groups["major"].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var major)
            & int.TryParse(m.Groups["minor"].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var minor);
        tooLarge = !fits;
        if (fits)
            tag = new ReleaseTag(name, major, minor);
        return fits;
    }

    /// <inheritdoc />
    public int CompareTo(ReleaseTag other) => Major != other.Major ? Major.CompareTo(other.Major) : Minor.CompareTo(other.Minor);

    /// <summary>The label of commits after this tag, not yet released: <c>6.12+</c>. The next number is not guessed
    /// (6.19 was followed by 7.0, 4.19 by 4.20).</summary>
    public string NextRelease => Release + "+";

    /// <summary>Orders tags.</summary>
    public static bool operator <(ReleaseTag a, ReleaseTag b) => a.CompareTo(b) < 0;

    /// <summary>Orders tags.</summary>
    public static bool operator >(ReleaseTag a, ReleaseTag b) => a.CompareTo(b) > 0;

    /// <summary>Orders tags.</summary>
    public static bool operator <=(ReleaseTag a, ReleaseTag b) => a.CompareTo(b) <= 0;

    /// <summary>Orders tags.</summary>
    public static bool operator >=(ReleaseTag a, ReleaseTag b) => a.CompareTo(b) >= 0;
}
