using System.Globalization;

namespace Oxidation.Cves;

/// <summary>
/// Kernel release numbers as the CNA writes them in ranges: <c>6.12.117</c>, <c>6.13</c>, <c>6.14-rc1</c>,
/// wildcards <c>6.1.*</c> and <c>*</c> in <c>lessThanOrEqual</c>, and <c>0</c> for "from the start".
/// </summary>
public static class KernelVersion
{
    /// <summary>
    /// Parses <c>6.12.117</c> into [6, 12, 117] and a release-candidate number (int.MaxValue for a release);
    /// false unless every part is a number that fits an int.
    /// </summary>
    public static bool TryParse(string text, out int[] parts, out int rc)
    {
        rc = int.MaxValue;
        var dash = text.IndexOf("-rc", StringComparison.Ordinal);
        var main = dash < 0 ? text : text[..dash];
        // "6.13-rcX" is not a release candidate: refused, as "6.x" is (none of the snapshot's ranges has one).
        if (dash >= 0 && !int.TryParse(text[(dash + 3)..], NumberStyles.None, CultureInfo.InvariantCulture, out rc))
        {
            parts = [];
            return false;
        }
        var pieces = main.Split('.');
        parts = new int[pieces.Length];
        for (var i = 0; i < pieces.Length; i++)
        {
            if (!int.TryParse(pieces[i], NumberStyles.None, CultureInfo.InvariantCulture, out parts[i]))
                return false;
        }
        return pieces.Length > 0;
    }

    /// <summary>Orders two releases; missing components count as 0 (6.13 = 6.13.0), an -rc comes before its release.</summary>
    public static int Compare(int[] a, int aRc, int[] b, int bRc)
    {
        for (var i = 0; i < Math.Max(a.Length, b.Length); i++)
        {
            var x = i < a.Length ? a[i] : 0;
            var y = i < b.Length ? b[i] : 0;
            if (x != y)
                return x.CompareTo(y);
        }
        return aRc.CompareTo(bRc);
    }

    /// <summary>Whether <paramref name="release"/> lies in a release range (git ranges are not releases: false).</summary>
    public static bool InRange(string release, AffectedRange range)
    {
        if (range.Kind == "git" || !TryParse(release, out var r, out var rRc))
            return false;
        if (!TryParse(range.Version, out var from, out var fromRc) || Compare(r, rRc, from, fromRc) < 0)
            return false;
        if (range.LessThan is { } lessThan)
            return TryParse(lessThan, out var lt, out var ltRc) && Compare(r, rRc, lt, ltRc) < 0;
        if (range.LessThanOrEqual is { } upTo)
        {
            if (upTo == "*")
                return true;
            if (upTo.EndsWith(".*", StringComparison.Ordinal))
            {
                // 6.1.* : any 6.1.x; compare only the leading components.
                if (!TryParse(upTo[..^2], out var prefix, out _))
                    return false;
                return Compare([.. r.Take(prefix.Length)], int.MaxValue, prefix, int.MaxValue) <= 0;
            }
            return TryParse(upTo, out var le, out var leRc) && Compare(r, rRc, le, leRc) <= 0;
        }
        return Compare(r, rRc, from, fromRc) == 0; // a single version
    }

    /// <summary>
    /// Whether a record affects a release. Per <c>affected[]</c> entry: an "unaffected" range containing the
    /// release wins, then an "affected" one; otherwise the entry's <c>defaultStatus</c>. A bare version with
    /// status "affected" (the release that brought the bug) is a lower bound for a default of "affected".
    /// </summary>
    public static bool Affects(CveRecord record, string release)
    {
        foreach (var group in record.Ranges.Where(r => r.Kind != "git").GroupBy(r => r.Group))
        {
            var ranges = group.ToList();
            if (ranges.Any(r => r.Status == "unaffected" && InRange(release, r)))
                continue;
            if (ranges.Any(r => r.Status == "affected" && (r.LessThan is not null || r.LessThanOrEqual is not null) && InRange(release, r)))
                return true;
            if (ranges[0].DefaultStatus == "affected")
            {
                var introduced = ranges.Where(r => r.Kind == "release" && r.Status == "affected" && r.LessThan is null && r.LessThanOrEqual is null).ToList();
                if (introduced.Count == 0 || introduced.Any(r => TryParse(r.Version, out var v, out var vRc) && TryParse(release, out var x, out var xRc) && Compare(x, xRc, v, vRc) >= 0))
                    return true;
            }
        }
        return false;
    }
}
