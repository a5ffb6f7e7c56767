using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;
using Oxidation.History;
using Oxidation.Rust;

namespace Oxidation.Git.Tests;

/// <summary>The pack reader against libgit2 and git on packs git wrote: every object, both delta kinds, corruption.</summary>
public sealed class PackTests
{
    /// <summary>40 commits that each change one line of three ~200-line files: git packs most versions as deltas.</summary>
    private static KernelRepository Versions()
    {
        var repo = new KernelRepository();
        var lines = Enumerable.Range(0, 200).Select(i => $"pub fn f{i}() -> u32 {{ {i} }}\n").ToArray();
        var v60 = repo.Commit(KernelRepository.Ada, "2022-10-01T10:00:00+00:00", "init", ("Makefile", "VERSION = 6\n"));
        repo.Tag("v6.0", v60);
        for (var n = 0; n < 40; n++)
        {
            lines[n * 5 % 200] = $"pub fn changed{n}() -> u32 {{ {n} }}\n";
            var text = string.Concat(lines);
            repo.Commit(KernelRepository.Ada, $"2022-10-02T10:{n:00}:00+00:00", $"rust: change {n}",
                ($"rust/kernel/m{n % 3}.rs", text), ($"drivers/d{n % 2}/f.c", $"int x = {n};\n" + text));
        }
        repo.Tag("v6.1", repo.Repo.Head.Tip);
        return repo;
    }

    private static List<Oid> AllObjects(string gitDirectory) =>
        [.. KernelRepository.RunGit(gitDirectory, "cat-file", "--batch-all-objects", "--batch-check=%(objectname)")
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => Oid.Parse(Encoding.ASCII.GetBytes(l)))];

    /// <summary>How each object is stored in the one pack of a pack directory: 1–4 whole, 6 offset delta, 7 reference delta.</summary>
    private static List<int> KindsIn(string packDirectory)
    {
        using var packs = PackSet.Open(Path.GetDirectoryName(Path.GetDirectoryName(packDirectory))!);
        return [.. KernelRepository.ShowIndex(packDirectory).Values.Select(o => PackReader.KindAt(packs[0], o))];
    }

    private static void AssertSameAsLibgit2(string gitDirectory, List<Oid> objects)
    {
        using var packs = PackSet.Open(gitDirectory);
        using var reader = new PackReader(packs);
        using var libgit2 = new RawObjects(gitDirectory);
        Span<byte> raw = stackalloc byte[20];
        foreach (var id in objects)
        {
            id.Write(raw);
            Assert.True(reader.TryRead(raw, out var data, out var type), $"{id} not found in the pack");
            var expected = libgit2.Read(id, out var expectedType);
            Assert.Equal(expectedType, type);
            Assert.True(expected.AsSpan().SequenceEqual(data), $"{id}: bytes differ");
        }
    }

    [Fact]
    public void Every_object_of_a_gc_pack_reads_as_libgit2_reads_it()
    {
        using var repo = Versions();
        repo.Git("gc", "--quiet", "--aggressive", "--prune=now");
        var gitDirectory = repo.Repo.Info.Path;
        var objects = AllObjects(gitDirectory);
        // 41 commits, 41 root trees... (git's own count): every one must be in the single pack, none loose.
        Assert.Equal(objects.Count, int.Parse(repo.Git("count-objects", "-v").Split('\n').Single(l => l.StartsWith("in-pack:", StringComparison.Ordinal))[8..], System.Globalization.CultureInfo.InvariantCulture));
        var kinds = KindsIn(Path.Combine(gitDirectory, "objects", "pack"));
        Assert.Equal(objects.Count, kinds.Count);
        Assert.True(kinds.Count(k => k == 6) >= 50, $"only {kinds.Count(k => k == 6)} offset deltas"); // gc writes offset deltas
        AssertSameAsLibgit2(gitDirectory, objects);
    }

    [Fact]
    public void Reference_deltas_are_read_too()
    {
        using var repo = Versions();
        // pack-objects without --delta-base-offset names each delta's base by id (as packs sent to old clients do).
        var bare = Directory.CreateTempSubdirectory("oxidation-pack-").FullName;
        try
        {
            KernelRepository.RunGit(bare, "init", "--quiet", "--bare");
            var objects = AllObjects(repo.Repo.Info.Path);
            var start = new System.Diagnostics.ProcessStartInfo("git", ["-C", repo.Path, "pack-objects", "--quiet", "--window=50", Path.Combine(bare, "objects", "pack", "pack")])
            { RedirectStandardInput = true, RedirectStandardOutput = true };
            using (var git = System.Diagnostics.Process.Start(start)!)
            {
                git.StandardInput.Write(string.Join('\n', objects.Select(o => o.ToString())) + "\n");
                git.StandardInput.Close();
                git.StandardOutput.ReadToEnd();
                git.WaitForExit();
                Assert.Equal(0, git.ExitCode);
            }
            var kinds = KindsIn(Path.Combine(bare, "objects", "pack"));
            Assert.Equal(0, kinds.Count(k => k == 6));
            Assert.True(kinds.Count(k => k == 7) >= 50, $"only {kinds.Count(k => k == 7)} reference deltas");
            AssertSameAsLibgit2(bare, objects);
        }
        finally
        {
            KernelRepository.DeleteDirectory(bare);
        }
    }

    [Fact]
    public void A_packed_repository_mines_exactly_as_a_loose_one()
    {
        using var repo = KernelRepository.Standard();
        List<MinedCommit> Mine()
        {
            var segments = new List<MinedSegment>();
            new HistoryMiner(new HistoryOptions(repo.Path, "v6.1", null, EmployerMap.Default()), RustKnowledge.Default).Mine(new HistoryState(new HashSet<string>(), null, new HashSet<string>()), segments.Add);
            return [.. segments.SelectMany(s => s.Commits)];
        }
        var loose = Mine();
        repo.Git("gc", "--quiet", "--aggressive", "--prune=now");
        Assert.StartsWith("0 objects,", repo.Git("count-objects"), StringComparison.Ordinal); // none loose: all packed
        var packed = Mine();
        Assert.Equal(7, packed.Count);
        Assert.Equal(loose.Select(c => c with { Trailers = [], Headers = [] }), packed.Select(c => c with { Trailers = [], Headers = [] }));
        Assert.Equal(loose.SelectMany(c => c.Trailers), packed.SelectMany(c => c.Trailers));
        Assert.Equal(loose.SelectMany(c => c.Headers), packed.SelectMany(c => c.Headers));
    }

    [Fact]
    public void A_corrupt_packed_object_is_named_with_its_path_commit_and_pack()
    {
        using var repo = new KernelRepository();
        var w = KernelRepository.Ada;
        repo.Tag("v6.0", repo.Commit(w, "2022-10-01T10:00:00+00:00", "init", ("Makefile", "VERSION = 6\n")));
        repo.Commit(w, "2022-10-02T10:00:00+00:00", "rust: add", ("rust/kernel/a.rs", string.Concat(Enumerable.Range(0, 50).Select(i => $"// first version, line {i}\n"))));
        var second = repo.Commit(w, "2022-10-03T10:00:00+00:00", "rust: rewrite", ("rust/kernel/a.rs", "pub fn all_new() {}\n"));
        repo.Tag("v6.1", second);
        var first = repo.Git("rev-parse", "v6.1~1:rust/kernel/a.rs").Trim();
        repo.Git("gc", "--quiet", "--prune=now");
        // Overwrite the first version's deflated bytes (after its two-byte header) in the pack.
        var packDirectory = Path.Combine(repo.Repo.Info.Path, "objects", "pack");
        var pack = Directory.GetFiles(packDirectory, "*.pack").Single();
        var offset = KernelRepository.ShowIndex(packDirectory)[first];
        File.SetAttributes(pack, FileAttributes.Normal);
        using (var file = new FileStream(pack, FileMode.Open, FileAccess.Write))
        {
            file.Position = offset + 4;
            file.Write([0xde, 0xad, 0xbe, 0xef, 0xde, 0xad, 0xbe, 0xef]);
        }
        var miner = new HistoryMiner(new HistoryOptions(repo.Path, "v6.1", null, EmployerMap.Default()), RustKnowledge.Default);
        var error = Assert.Throws<HistoryException>(() => miner.Mine(new HistoryState(new HashSet<string>(), null, new HashSet<string>()), _ => { }));
        Assert.StartsWith($"{repo.Path}: rust/kernel/a.rs ({first}) at {repo.Git("rev-parse", "v6.1~1").Trim()}: object {first} in {pack} at offset {offset}: corrupt (zlib: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_truncated_pack_index_or_a_pack_that_is_not_one_is_named()
    {
        using var repo = KernelRepository.Standard();
        repo.Git("gc", "--quiet", "--prune=now");
        var packDirectory = Path.Combine(repo.Repo.Info.Path, "objects", "pack");
        var idx = Directory.GetFiles(packDirectory, "*.idx").Single();
        var pack = Path.ChangeExtension(idx, ".pack");
        HistoryException Mine() => Assert.Throws<HistoryException>(() =>
            new HistoryMiner(new HistoryOptions(repo.Path, "v6.1", null, EmployerMap.Default()), RustKnowledge.Default)
                .Mine(new HistoryState(new HashSet<string>(), null, new HashSet<string>()), _ => { }));
        File.SetAttributes(idx, FileAttributes.Normal);
        var whole = File.ReadAllBytes(idx);
        File.WriteAllBytes(idx, whole[..1100]); // the header and fan-out table, then nothing
        Assert.Equal($"{repo.Path}: cannot read its pack files: {idx}: index shorter than its {whole[8 + 1023]} objects need", Mine().Message);
        File.WriteAllBytes(idx, whole);
        File.SetAttributes(pack, FileAttributes.Normal);
        File.WriteAllText(pack, "not a pack at all");
        Assert.Equal($"{repo.Path}: cannot read its pack files: {pack}: not a pack file", Mine().Message);
    }

    [Fact]
    public void Deltas_copy_and_insert_as_git_defines_them()
    {
        var source = Encoding.ASCII.GetBytes("hello, world");
        // Sizes 12 → 11; copy offset 7 length 5 ("world"), insert 1 byte ' ', copy offset 0 length 5 ("hello").
        byte[] delta = [12, 11, 0x91, 7, 5, 1, (byte)' ', 0x90, 5];
        Assert.Equal("world hello", Encoding.ASCII.GetString(PackReader.Apply(source, delta)));
        // A copy of length 0 means 0x10000 bytes.
        var big = Enumerable.Range(0, 0x10000).Select(i => (byte)i).ToArray();
        Assert.Equal(big, PackReader.Apply(big, [0x80, 0x80, 0x04, 0x80, 0x80, 0x04, 0x80]));
        Assert.Throws<InvalidDataException>(() => PackReader.Apply(source, [13, 11, 0x91, 7, 5])); // wrong base size
        Assert.Throws<InvalidDataException>(() => PackReader.Apply(source, [12, 5, 0x91, 10, 5])); // copies past the base
        Assert.Throws<InvalidDataException>(() => PackReader.Apply(source, [12, 5, 0])); // reserved instruction
        Assert.Throws<InvalidDataException>(() => PackReader.Apply(source, [12, 6, 0x91, 0, 5])); // builds 5 of 6 bytes
    }

    [Fact]
    public void Zlib_ng_and_dotnets_stream_inflate_alike_and_refuse_bad_streams()
    {
        var text = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, 1000).Select(i => $"line {i}\n")));
        using var memory = new MemoryStream();
        using (var z = new ZLibStream(memory, CompressionLevel.Optimal, leaveOpen: true))
            z.Write(text);
        var deflated = memory.ToArray();
        byte[] nothing = [0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]; // zlib's stream of no bytes (.NET writes none at all)
        using var ng = NativeZlibNg.TryCreate();
        Assert.NotNull(ng); // the runtime's libSystem.IO.Compression.Native exports it on .NET 10
        using var managed = new ManagedInflater();
        using (var chosen = Inflater.Create())
            Assert.IsType<NativeZlibNg>(chosen); // what the pack reader uses
        foreach (var inflater in new Inflater[] { ng, managed })
        {
            for (var round = 0; round < 2; round++) // zlib-ng's stream is reset and reused
            {
                var result = new byte[text.Length];
                inflater.Inflate([.. deflated, 1, 2, 3], result); // bytes after the stream (the next pack object) are left alone
                Assert.Equal(text, result);
            }
            Assert.Throws<InvalidDataException>(() => inflater.Inflate(deflated.AsSpan(0, deflated.Length / 2), new byte[text.Length]));
            Assert.Throws<InvalidDataException>(() => inflater.Inflate(deflated, new byte[text.Length + 1]));
            Assert.Throws<InvalidDataException>(() => inflater.Inflate(deflated, new byte[text.Length - 1]));
            inflater.Inflate(nothing, []); // an empty object
        }
        Assert.Throws<InvalidDataException>(() => ng.Inflate([0x78, 0x01, 0xde, 0xad, 0xbe, 0xef], new byte[10]));
    }
}

/// <summary>A history longer than one describing chunk, checked commit by commit against git log.</summary>
public sealed class ChunkedHistoryTests
{
    /// <summary>3,000 commits through git fast-import (about three chunks of 1,024): every third touches Rust, authors rotate.</summary>
    private static KernelRepository Long()
    {
        var repo = new KernelRepository();
        var stream = new StringBuilder();
        for (var n = 1; n <= 3000; n++)
        {
            var who = n % 7;
            stream.Append(CultureInfo.InvariantCulture, $"commit refs/heads/master\nmark :{n}\nauthor Dev {who} <dev{who}@example.org> {1_600_000_000 + n * 60} +0000\ncommitter Dev {who} <dev{who}@example.org> {1_600_000_000 + n * 60} +0000\n");
            var message = $"change {n}\n";
            stream.Append(CultureInfo.InvariantCulture, $"data {Encoding.UTF8.GetByteCount(message)}\n{message}\n");
            if (n > 1)
                stream.Append(CultureInfo.InvariantCulture, $"from :{n - 1}\n");
            var (path, body) = n % 3 == 0
                ? ($"rust/kernel/m{n % 10}.rs", string.Concat(Enumerable.Range(0, n % 13 + 1).Select(i => $"pub fn f{i}_{n % 5}() {{}}\n")))
                : ($"drivers/d{n % 4}/f{n % 30}.c", $"int x = {n};\n");
            stream.Append(CultureInfo.InvariantCulture, $"M 100644 inline {path}\ndata {Encoding.UTF8.GetByteCount(body)}\n{body}\n");
            if (n == 1)
                stream.Append("reset refs/tags/v6.0\nfrom :1\n\n");
            if (n == 1500)
                stream.Append("reset refs/tags/v6.1\nfrom :1500\n\n");
        }
        var start = new System.Diagnostics.ProcessStartInfo("git", ["-C", repo.Path, "fast-import", "--quiet"]) { RedirectStandardInput = true };
        using (var git = System.Diagnostics.Process.Start(start)!)
        {
            git.StandardInput.Write(stream.ToString());
            git.StandardInput.Close();
            git.WaitForExit();
            Assert.Equal(0, git.ExitCode);
        }
        return repo;
    }

    [Fact]
    public void Several_chunks_on_several_threads_agree_with_git_log_commit_by_commit()
    {
        using var repo = Long();
        var segments = new List<MinedSegment>();
        new HistoryMiner(new HistoryOptions(repo.Path, "v6.1", null, EmployerMap.Default()), RustKnowledge.Default)
            .Mine(new HistoryState(new HashSet<string>(), null, new HashSet<string>()), segments.Add);
        var mined = segments.SelectMany(s => s.Commits).ToDictionary(c => c.Sha);
        Assert.Equal([("6.1", 1499), ("6.1+", 1500)], segments.Select(s => (s.Release, s.Commits.Count)));
        // git's answer: the Rust commits with their numstat, and every commit's author.
        var expected = new Dictionary<string, (int Added, int Removed)>();
        string? sha = null;
        foreach (var line in repo.Git("log", "--numstat", "--format=@%H", "v6.0..master", "--", "*.rs", "rust/").Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.StartsWith('@'))
            {
                expected[sha = line[1..]] = (0, 0);
                continue;
            }
            var parts = line.Split('\t');
            var (a, d) = expected[sha!];
            expected[sha!] = (a + int.Parse(parts[0], CultureInfo.InvariantCulture), d + int.Parse(parts[1], CultureInfo.InvariantCulture));
        }
        Assert.Equal(1000, expected.Count);
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), mined.Values.Where(c => c.Rust).Select(c => c.Sha).Order(StringComparer.Ordinal));
        foreach (var (commit, counts) in expected)
            Assert.Equal(counts, (mined[commit].RustAdded, mined[commit].RustRemoved));
        var authors = repo.Git("log", "--format=%H %ae", "v6.0..master").Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' '));
        Assert.All(authors, a => Assert.Equal(a[1], mined[a[0]].Author.Email));
    }

    [Fact]
    public void A_corrupt_object_met_on_any_describing_thread_stops_the_run_with_its_name()
    {
        using var repo = Long();
        repo.Git("repack", "-a", "-d", "-q", "-F", "--window=0"); // no deltas: the damage stays in one object
        var packDirectory = Path.Combine(repo.Repo.Info.Path, "objects", "pack");
        var pack = Directory.GetFiles(packDirectory, "*.pack").Single();
        // The root tree of the 2,997th commit (described in the third chunk, on whichever thread takes it), read again as
        // the old side of the next commit.
        var tree = repo.Git("rev-parse", "master~3^{tree}").Trim();
        var commits = repo.Git("rev-parse", "master~3", "master~2").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var offset = KernelRepository.ShowIndex(packDirectory)[tree];
        File.SetAttributes(pack, FileAttributes.Normal);
        using (var file = new FileStream(pack, FileMode.Open, FileAccess.Write))
        {
            file.Position = offset + 3;
            file.Write([0xde, 0xad, 0xbe, 0xef, 0xde, 0xad, 0xbe, 0xef]);
        }
        var stored = new List<string>();
        var miner = new HistoryMiner(new HistoryOptions(repo.Path, "v6.1", null, EmployerMap.Default()), RustKnowledge.Default);
        var error = Assert.Throws<HistoryException>(() => miner.Mine(new HistoryState(new HashSet<string>(), null, new HashSet<string>()), s => stored.Add(s.Release)));
        Assert.Matches($@"^{Regex.Escape(repo.Path)}: commit ({commits[0]}|{commits[1]}): object {tree} in {Regex.Escape(pack)} at offset {offset}: corrupt \(zlib: ", error.Message);
        Assert.Equal(["6.1"], stored); // the release before it is kept
    }

    [Fact]
    public void A_pack_cut_short_is_refused_as_not_matching_its_index()
    {
        using var repo = KernelRepository.Standard();
        repo.Git("gc", "-q");
        var pack = Directory.GetFiles(Path.Combine(repo.Repo.Info.Path, "objects", "pack"), "*.pack").Single();
        File.SetAttributes(pack, FileAttributes.Normal);
        using (var file = new FileStream(pack, FileMode.Open, FileAccess.Write))
            file.SetLength(file.Length - 20); // every object whole, only the checksum gone: the cut that is hardest to see
        var error = Assert.Throws<InvalidDataException>(() => PackSet.Open(repo.Repo.Info.Path));
        Assert.Equal($"{pack}: does not match its index (truncated or replaced)", error.Message);
    }

    [Fact]
    public void An_index_without_its_pack_is_named_and_a_walk_from_a_missing_commit_fails()
    {
        using var repo = KernelRepository.Standard();
        // The head is asked of git: libgit2 keeps a pack it has opened in a process-wide cache, readable after the file is deleted.
        var head = repo.Git("rev-parse", "HEAD").Trim();
        repo.Git("gc", "-q");
        var pack = Directory.GetFiles(Path.Combine(repo.Path, ".git", "objects", "pack"), "*.pack").Single();
        File.SetAttributes(pack, FileAttributes.Normal);
        File.Delete(pack);
        using (var packs = PackSet.Open(Path.Combine(repo.Path, ".git")))
            Assert.Equal([Path.ChangeExtension(pack, ".idx")], packs.IndexesWithoutPack);
        // libgit2's revision walk, pushed a commit that is not there, must fail rather than yield no commits.
        using var walker = new RawObjects(Path.Combine(repo.Path, ".git"));
        var error = Assert.Throws<LibGit2Sharp.LibGit2SharpException>(() => walker.Walk(Oid.Parse(Encoding.ASCII.GetBytes(head)), []));
        Assert.StartsWith($"{head}: ", error.Message, StringComparison.Ordinal);
    }
}
