using LibGit2Sharp;
using Oxidation.Releases;

namespace Oxidation.Git;

/// <summary>
/// The release tags of a repository, listed once for the history (<see cref="HistoryWalk"/>) and the release scans
/// (<see cref="ReleaseScanner"/>): every <c>refs/tags/*</c> whose name is a release tag of the kinds asked
/// (<see cref="Release.TryParseTag(string, out Release, out bool, ReleaseKind[])"/>), oldest first. A tag whose number is
/// too large to be a release is named in a warning and left out. What a tag names is left to the caller: the history
/// stops at a tag it cannot read, the release scans list it as a failure and go on.
/// </summary>
internal static class ReleaseTagRefs
{
    public static List<(Release Tag, string Name, Reference Reference)> List(Repository repo, ICollection<string> warnings, params ReleaseKind[] kinds)
    {
        var tags = new List<(Release, string, Reference)>();
        foreach (var reference in repo.Refs.FromGlob("refs/tags/*"))
        {
            var name = reference.CanonicalName["refs/tags/".Length..];
            if (!Release.TryParseTag(name, out var tag, out var tooLarge, kinds))
            {
                if (tooLarge)
                    warnings.Add($"tag {name}: the release number is too large; the tag is skipped");
                continue;
            }
            tags.Add((tag, name, reference));
        }
        return [.. tags.OrderBy(t => t.Item1)];
    }
}
