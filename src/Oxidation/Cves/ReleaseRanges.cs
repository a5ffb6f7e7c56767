using Oxidation.Releases;

namespace Oxidation.Cves;

/// <summary>
/// The CNA's release ranges: versions as <see cref="Release"/> parses them (<c>6.12.117</c>, <c>6.13</c>, <c>6.14-rc1</c>),
/// wildcards <c>6.1.*</c> and <c>*</c> in <c>lessThanOrEqual</c>, and <c>0</c> for "from the start".
/// </summary>
public static class ReleaseRanges
{
    /// <summary>Whether <paramref name="release"/> lies in a release range (git ranges are not releases: false).</summary>
    public static bool InRange(string release, AffectedRange range)
    {
        if (range.Kind == "git" || !Release.TryParse(release, out var r))
            return false;
        if (!Release.TryParse(range.Version, out var from) || r < from)
            return false;
        if (range.LessThan is { } lessThan)
            return Release.TryParse(lessThan, out var lt) && r < lt;
        if (range.LessThanOrEqual is { } upTo)
        {
            if (upTo == "*")
                return true;
            if (upTo.EndsWith(".*", StringComparison.Ordinal))
            {
                // 6.1.* : any 6.1.x; compare only the leading components.
                if (!Release.TryParse(upTo[..^2], out var prefix))
                    return false;
                return r.Prefix(prefix.Numbers.Count) <= prefix;
            }
            return Release.TryParse(upTo, out var le) && r <= le;
        }
        return r.CompareTo(from) == 0; // a single version
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
                if (introduced.Count == 0 || introduced.Any(r => Release.TryParse(r.Version, out var v) && Release.TryParse(release, out var x) && x >= v))
                    return true;
            }
        }
        return false;
    }
}
