using System.Globalization;
using System.Text;

namespace Oxidation.Git;

/// <summary>A commit as its raw object states it; the message stays bytes until asked for (only Rust changesets' are).</summary>
internal sealed record RawCommit(Oid Tree, Oid[] Parents, string AuthorName, string AuthorEmail, DateTimeOffset When, byte[] MessageBytes)
{
    public string Message => Encoding.UTF8.GetString(MessageBytes);

    /// <summary>The first paragraph, lines joined by spaces (libgit2's <c>git_commit_summary</c>): only it is decoded.</summary>
    public string Summary
    {
        get
        {
            var bytes = MessageBytes.AsSpan();
            var start = 0;
            while (start < bytes.Length && bytes[start] is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r' or (byte)'\v' or (byte)'\f')
                start++;
            var end = bytes[start..].IndexOf("\n\n"u8);
            var text = Encoding.UTF8.GetString(end < 0 ? bytes[start..] : bytes.Slice(start, end)).TrimStart();
            return string.Join(' ', text.Split('\n').Select(l => l.TrimEnd())).TrimEnd();
        }
    }
}

/// <summary>What a tree entry names: a subtree, a file (blob, symbolic links included) or a submodule's commit.</summary>
internal enum TreeItemKind
{
    Blob,
    Tree,
    Submodule,
}

/// <summary>A path a commit changed, with the blob before and after (null where it did not exist).</summary>
internal readonly record struct PathChange(string Path, Oid? Old, Oid? New);

/// <summary>
/// Reads commits and diffs trees from raw objects: a tree is parsed once and cached by id, and two trees are compared
/// entry by entry in git's order, descending only into subtrees whose ids differ — as <c>git log</c> does.
/// Not thread-safe: one per thread.
/// </summary>
internal sealed class CommitReader(RawObjects objects) : IDisposable
{
    private Dictionary<Oid, byte[]> _current = [];
    private Dictionary<Oid, byte[]> _previous = [];
    // The trees of the commits read lately, direct-mapped by id (a colliding commit replaces the older one).
    private readonly (Oid Commit, Oid Tree)[] _commitTrees = new (Oid, Oid)[1 << 16];

    /// <summary>The tree of a commit, from the commits read before (a parent is usually a commit read shortly before).</summary>
    public Oid TreeOf(Oid commit)
    {
        ref var known = ref _commitTrees[(int)(commit.A & 0xffff)];
        return known.Commit == commit && commit != default ? known.Tree : Commit(commit).Tree;
    }

    public RawCommit Commit(Oid id)
    {
        var commit = objects.Read(id, (span, type) => type == 1 ? Parse(span) : throw new LibGit2Sharp.LibGit2SharpException($"{id}: not a commit (object type {type})"));
        _commitTrees[(int)(id.A & 0xffff)] = (id, commit.Tree);
        return commit;
    }

    private static RawCommit Parse(ReadOnlySpan<byte> span)
    {
        Oid tree = default;
        var parents = new List<Oid>(1);
        string name = "", email = "";
        DateTimeOffset when = default;
        var pos = 0;
        while (pos < span.Length)
        {
            var eol = span[pos..].IndexOf((byte)'\n');
            var line = eol < 0 ? span[pos..] : span.Slice(pos, eol);
            pos = eol < 0 ? span.Length : pos + eol + 1;
            if (line.Length == 0)
                break; // the message follows
            if (line.StartsWith("tree "u8))
                tree = Oid.Parse(line[5..]);
            else if (line.StartsWith("parent "u8))
                parents.Add(Oid.Parse(line[7..]));
            else if (line.StartsWith("author "u8))
                (name, email, when) = Signature(line[7..]);
        }
        return new RawCommit(tree, [.. parents], name, email, when, pos < span.Length ? span[pos..].ToArray() : []);
    }

    /// <summary><c>Name &lt;email&gt; seconds ±hhmm</c></summary>
    private static (string Name, string Email, DateTimeOffset When) Signature(ReadOnlySpan<byte> text)
    {
        var open = text.IndexOf((byte)'<');
        var close = text.LastIndexOf((byte)'>');
        if (open < 0 || close < open)
            return (Encoding.UTF8.GetString(text).Trim(), "", default);
        var name = Encoding.UTF8.GetString(text[..open]).Trim();
        var email = Encoding.UTF8.GetString(text[(open + 1)..close]).Trim();
        var rest = Encoding.ASCII.GetString(text[(close + 1)..]).Trim().Split(' ');
        var when = default(DateTimeOffset);
        if (rest.Length >= 1 && long.TryParse(rest[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds))
        {
            var offset = TimeSpan.Zero;
            if (rest.Length >= 2 && rest[1].Length == 5 && int.TryParse(rest[1].AsSpan(1), NumberStyles.Integer, CultureInfo.InvariantCulture, out var hhmm))
                offset = TimeSpan.FromMinutes((hhmm / 100 * 60 + hhmm % 100) * (rest[1][0] == '-' ? -1 : 1));
            when = DateTimeOffset.FromUnixTimeSeconds(seconds).ToOffset(offset);
        }
        return (name, email, when);
    }

    /// <summary>A blob's bytes.</summary>
    public byte[] Blob(Oid id) => objects.Read(id, out _);

    /// <summary>A tree's entries in git's order, read without keeping the tree (for walks over whole trees).</summary>
    public List<(string Name, TreeItemKind Kind, Oid Id)> Entries(Oid tree)
    {
        var bytes = objects.Read(tree, out var type);
        if (type != 2)
            throw new LibGit2Sharp.LibGit2SharpException($"{tree}: not a tree (object type {type})");
        var entries = new List<(string, TreeItemKind, Oid)>();
        for (var i = 0; i < bytes.Length;)
        {
            var e = Entry.At(bytes, i);
            entries.Add((e.Name(bytes), e.IsTree ? TreeItemKind.Tree : e.IsSubmodule ? TreeItemKind.Submodule : TreeItemKind.Blob, Oid.From(bytes.AsSpan(e.Id, 20))));
            i = e.Next;
        }
        return entries;
    }

    /// <summary>A tree's entries, as <see cref="Entries"/>, with whether each file is a symbolic link (mode 120000).</summary>
    public List<(string Name, TreeItemKind Kind, Oid Id, bool Link)> EntriesWithLinks(Oid tree)
    {
        var bytes = objects.Read(tree, out var type);
        if (type != 2)
            throw new LibGit2Sharp.LibGit2SharpException($"{tree}: not a tree (object type {type})");
        var entries = new List<(string, TreeItemKind, Oid, bool)>();
        for (var i = 0; i < bytes.Length;)
        {
            var e = Entry.At(bytes, i);
            var link = bytes.AsSpan(i, 6).SequenceEqual("120000"u8);
            entries.Add((e.Name(bytes), e.IsTree ? TreeItemKind.Tree : e.IsSubmodule ? TreeItemKind.Submodule : TreeItemKind.Blob, Oid.From(bytes.AsSpan(e.Id, 20)), link));
            i = e.Next;
        }
        return entries;
    }

    /// <summary>Adds to <paramref name="changes"/> every path that differs between two trees (null: empty tree).</summary>
    /// <remarks>
    /// Works on the raw tree bytes (<c>mode SP name NUL id</c>, sorted in git's order) without parsing them into
    /// objects: only the names of changed entries become strings.
    /// </remarks>
    public void Diff(Oid? oldTree, Oid? newTree, string prefix, List<PathChange> changes)
    {
        if (oldTree == newTree)
            return;
        var a = oldTree is { } o ? Tree(o) : [];
        var b = newTree is { } n ? Tree(n) : [];
        int i = 0, j = 0;
        while (i < a.Length || j < b.Length)
        {
            var x = i < a.Length ? Entry.At(a, i) : default;
            var y = j < b.Length ? Entry.At(b, j) : default;
            var c = i >= a.Length ? 1 : j >= b.Length ? -1 : Entry.Compare(a, x, b, y);
            if (c == 0)
            {
                if (!a.AsSpan(x.Id, 20).SequenceEqual(b.AsSpan(y.Id, 20)))
                {
                    if (x.IsTree)
                        Diff(Oid.From(a.AsSpan(x.Id, 20)), Oid.From(b.AsSpan(y.Id, 20)), prefix + x.Name(a) + "/", changes);
                    else
                        changes.Add(new PathChange(prefix + x.Name(a), Oid.From(a.AsSpan(x.Id, 20)), Oid.From(b.AsSpan(y.Id, 20))));
                }
                i = x.Next;
                j = y.Next;
            }
            else if (c < 0)
            {
                Gone(a, x, prefix, changes, deleted: true);
                i = x.Next;
            }
            else
            {
                Gone(b, y, prefix, changes, deleted: false);
                j = y.Next;
            }
        }
    }

    private void Gone(byte[] tree, Entry e, string prefix, List<PathChange> changes, bool deleted)
    {
        var id = Oid.From(tree.AsSpan(e.Id, 20));
        if (e.IsTree)
            Diff(deleted ? id : null, deleted ? null : id, prefix + e.Name(tree) + "/", changes);
        else
            changes.Add(deleted ? new PathChange(prefix + e.Name(tree), id, null) : new PathChange(prefix + e.Name(tree), null, id));
    }

    /// <summary>One entry of a raw tree: where its name and id are, and where the next entry starts.</summary>
    private readonly record struct Entry(int NameStart, int NameLength, bool IsTree, int Id, bool IsSubmodule = false)
    {
        public int Next => Id + 20;

        public static Entry At(byte[] tree, int start)
        {
            var span = tree.AsSpan(start);
            var space = span.IndexOf((byte)' ');
            var nul = space < 0 ? -1 : span[space..].IndexOf((byte)0) + space;
            if (space < 0 || nul < space || start + nul + 21 > tree.Length)
                throw new LibGit2Sharp.LibGit2SharpException("corrupt tree object");
            // Mode 40000 is a tree (040000 in a few old repositories, which git fsck tolerates); 160000 a submodule (a
            // commit id, compared like a file); the rest are files.
            var mode = span[..space];
            return new Entry(start + space + 1, nul - space - 1, mode.SequenceEqual("40000"u8) || mode.SequenceEqual("040000"u8), start + nul + 1, mode.SequenceEqual("160000"u8));
        }

        public string Name(byte[] tree) => Encoding.UTF8.GetString(tree, NameStart, NameLength);

        /// <summary>git's order: names compared bytewise, a subtree as if its name ended in '/'.</summary>
        public static int Compare(byte[] ta, Entry a, byte[] tb, Entry b)
        {
            var x = ta.AsSpan(a.NameStart, a.NameLength);
            var y = tb.AsSpan(b.NameStart, b.NameLength);
            var n = Math.Min(x.Length, y.Length);
            var c = x[..n].SequenceCompareTo(y[..n]);
            if (c != 0)
                return c;
            int cx = x.Length > n ? x[n] : a.IsTree ? '/' : 0;
            int cy = y.Length > n ? y[n] : b.IsTree ? '/' : 0;
            return cx.CompareTo(cy);
        }
    }

    /// <summary>
    /// A tree's bytes. Trees are kept for one commit only: the next commit's old side is this commit's new side, and
    /// an unchanged subtree is never read at all. Short-lived buffers keep the garbage collector's work small
    /// (a larger cache promoted them and cost more than the reads it saved).
    /// </summary>
    private byte[] Tree(Oid id)
    {
        if (_current.TryGetValue(id, out var tree))
            return tree;
        if (!_previous.Remove(id, out tree))
        {
            tree = objects.Read(id, out var type);
            if (type != 2)
                throw new LibGit2Sharp.LibGit2SharpException($"{id}: not a tree (object type {type})");
        }
        return _current[id] = tree;
    }

    /// <summary>Called after each commit: what it read becomes what the next may reuse.</summary>
    public void NextCommit()
    {
        (_previous, _current) = (_current, _previous);
        _current.Clear();
    }

    public void Dispose() => objects.Dispose();
}
