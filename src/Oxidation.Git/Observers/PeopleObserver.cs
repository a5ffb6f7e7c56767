using LibGit2Sharp;
using Oxidation.History;
using Identity = Oxidation.History.Identity;

namespace Oxidation.Git;

/// <summary>
/// Who wrote a commit and for whom (docs/history.md, "People", "Employers"): the author after the repository's
/// <c>.mailmap</c> (read at HEAD), the employer of the address at the commit's date, and for Rust changesets the person
/// trailers (the only ones reported, so the only ones parsed). Runs after <see cref="RustChangesetObserver"/>, whose
/// <c>Rust</c> it reads. Records <c>Author</c>, <c>Employer</c> and <c>Trailers</c>.
/// </summary>
internal sealed class PeopleObserver(EmployerMap employers) : IHistoryObserver
{
    private Mailmap _mailmap = Mailmap.Empty;

    public void BeginWalk(HistoryWalkStart start)
    {
        if (start.Head?[".mailmap"]?.Target is not Blob blob)
            return;
        var unreadable = new List<(int, string)>();
        _mailmap = Mailmap.Parse(blob.GetContentText(), unreadable);
        foreach (var (line, text) in unreadable)
            start.Warnings.Add($".mailmap:{line}: unreadable line ignored: {text}");
    }

    public void Observe(HistoryCommit commit)
    {
        var raw = commit.Commit;
        var author = _mailmap.Resolve(new Identity(raw.AuthorName, raw.AuthorEmail));
        commit.Record.Author = author;
        commit.Record.Employer = employers.EmployerOf(author.Email, raw.When);
        if (commit.Record.Rust)
            commit.Record.Trailers = TrailersOf(raw);
    }

    /// <summary>One trailer per key and person (after .mailmap): a Reviewed-by written twice is one review.</summary>
    private List<MinedTrailer> TrailersOf(RawCommit commit)
    {
        var trailers = new List<MinedTrailer>();
        var seen = new HashSet<(string, string)>();
        foreach (var t in Trailers.Parse(commit.Message))
        {
            var person = _mailmap.Resolve(t.Person);
            if (seen.Add((t.Key, person.Email.ToLowerInvariant())))
                trailers.Add(new MinedTrailer(t.Key, person, employers.EmployerOf(person.Email, commit.When)));
        }
        return trailers;
    }
}
