namespace Oxidation.Cves;

/// <summary>
/// One range of an <c>affected[]</c> entry. <see cref="Kind"/> is the record's <c>versionType</c>
/// (<c>git</c>, <c>semver</c>, <c>original_commit_for_fix</c>, <c>custom</c>) or <c>release</c> when it has none
/// (a bare <c>"version": "6.12", "status": "affected"</c>: the release that introduced the bug).
/// </summary>
public sealed record AffectedRange(string Kind, string Version, string? LessThan, string? LessThanOrEqual, string Status, string DefaultStatus, int Group);

/// <summary>
/// A CVE record of the kernel CNA, mapped from CVE JSON 5. <see cref="ProgramFiles"/> are the files the
/// FIX touched (the CNA derives them from the fixing commits), not necessarily where the bug was written.
/// </summary>
public sealed record CveRecord(
    string Id,
    string State,
    int Year,
    string Path,
    string? Title,
    string Subject,
    string Description,
    IReadOnlyList<string> ProgramFiles,
    IReadOnlyList<AffectedRange> Ranges,
    IReadOnlyList<string> Fixes,
    string? CvssVector,
    double? CvssScore)
{
    /// <summary>The description after the subject line: the commit message body.</summary>
    public string Body
    {
        get
        {
            var at = Description.IndexOf(Subject, StringComparison.Ordinal);
            return at < 0 ? Description : Description[(at + Subject.Length)..];
        }
    }
}
