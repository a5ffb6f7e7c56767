using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace Oxidation.Git;

/// <summary>Parses an object's bytes (valid only during the call) given its type.</summary>
internal delegate T SpanParser<T>(ReadOnlySpan<byte> data, int type);

/// <summary>A git object id (SHA-1), as a value: hashable, comparable, no allocation.</summary>
internal readonly record struct Oid(ulong A, ulong B, uint C)
{
    public static Oid From(ReadOnlySpan<byte> raw) =>
        new(MemoryMarshal.Read<ulong>(raw), MemoryMarshal.Read<ulong>(raw[8..]), MemoryMarshal.Read<uint>(raw[16..]));

    public static Oid Parse(ReadOnlySpan<byte> hex)
    {
        Span<byte> raw = stackalloc byte[20];
        if (Convert.FromHexString(Encoding.ASCII.GetString(hex[..40]), raw, out _, out _) != System.Buffers.OperationStatus.Done)
            throw new FormatException("not an object id: " + Encoding.ASCII.GetString(hex));
        return From(raw);
    }

    public void Write(Span<byte> raw)
    {
        var (a, b, c) = (A, B, C);
        MemoryMarshal.Write(raw, in a);
        MemoryMarshal.Write(raw[8..], in b);
        MemoryMarshal.Write(raw[16..], in c);
    }

    public override string ToString()
    {
        Span<byte> raw = stackalloc byte[20];
        Write(raw);
        return Convert.ToHexStringLower(raw);
    }
}

/// <summary>
/// Reads raw objects through libgit2's object database — the same native library LibGit2Sharp loads — one call per
/// object, parsed in managed code. LibGit2Sharp's tree and diff objects cost a native call per entry and per change;
/// mining touches millions of tree entries, so this path does the per-commit work (trees, commit headers, blobs).
/// One instance per thread: its handles are not shared.
/// </summary>
internal sealed unsafe class RawObjects : IDisposable
{
    private static readonly Native Api = Native.Load();
    private nint _repo;
    private nint _odb;
    private readonly PackReader? _packs;

    /// <param name="gitDirectory">The repository's git directory.</param>
    /// <param name="packs">Its packs, read directly (faster); what they do not hold is read through libgit2.</param>
    public RawObjects(string gitDirectory, PackSet? packs = null)
    {
        _packs = packs is null ? null : new PackReader(packs);
        var path = Marshal.StringToCoTaskMemUTF8(gitDirectory);
        try
        {
            nint repo;
            Check(Api.RepositoryOpen(&repo, (byte*)path), gitDirectory);
            _repo = repo;
            nint odb;
            Check(Api.RepositoryOdb(&odb, repo), gitDirectory);
            _odb = odb;
        }
        finally
        {
            Marshal.FreeCoTaskMem(path);
        }
    }

    /// <summary>The object's bytes (read them, never write: they may be cached) and type (1 commit, 2 tree, 3 blob, 4 tag); a missing object throws.</summary>
    public byte[] Read(Oid id, out int type)
    {
        if (_packs is not null)
        {
            Span<byte> raw = stackalloc byte[20];
            id.Write(raw);
            if (_packs.TryRead(raw, out var packed, out type))
                return packed;
        }
        var (data, t) = Read(id, static (span, type) => (span.ToArray(), type));
        type = t;
        return data;
    }

    /// <summary>
    /// The commits reachable from <paramref name="tip"/> and from none of <paramref name="hide"/>, parents before
    /// children (topological, reversed: the order <c>git log --reverse --topo-order</c> gives).
    /// </summary>
    public List<Oid> Walk(Oid tip, IEnumerable<Oid> hide)
    {
        nint walk;
        Check(Api.RevwalkNew(&walk, _repo), "revwalk");
        try
        {
            const uint Topological = 1, Reverse = 4;
            Check(Api.RevwalkSorting(walk, Topological | Reverse), "revwalk");
            Span<byte> raw = stackalloc byte[20];
            tip.Write(raw);
            fixed (byte* p = raw)
                Check(Api.RevwalkPush(walk, p), tip.ToString());
            foreach (var h in hide)
            {
                h.Write(raw);
                fixed (byte* p = raw)
                    Check(Api.RevwalkHide(walk, p), h.ToString());
            }
            var result = new List<Oid>();
            while (true)
            {
                int code;
                fixed (byte* p = raw)
                    code = Api.RevwalkNext(p, walk);
                if (code == -31) // GIT_ITEROVER
                    return result;
                Check(code, "revwalk");
                result.Add(Oid.From(raw));
            }
        }
        finally
        {
            Api.RevwalkFree(walk);
        }
    }

    /// <summary>Parses an object in place, without copying it out of libgit2's buffer.</summary>
    public T Read<T>(Oid id, SpanParser<T> parse)
    {
        Span<byte> raw = stackalloc byte[20];
        id.Write(raw);
        if (_packs is not null && _packs.TryRead(raw, out var packed, out var packedType))
            return parse(packed, packedType);
        nint obj;
        fixed (byte* oid = raw)
            Check(Api.OdbRead(&obj, _odb, oid), id.ToString());
        try
        {
            return parse(new ReadOnlySpan<byte>((void*)Api.OdbObjectData(obj), (int)Api.OdbObjectSize(obj)), Api.OdbObjectType(obj));
        }
        finally
        {
            Api.OdbObjectFree(obj);
        }
    }

    private static void Check(int code, string what)
    {
        if (code >= 0)
            return;
        var error = Api.ErrorLast();
        var message = error == null || error->Message == null ? $"libgit2 error {code}" : Marshal.PtrToStringUTF8((nint)error->Message);
        throw new LibGit2Sharp.LibGit2SharpException($"{what}: {message}");
    }

    public void Dispose()
    {
        _packs?.Dispose();
        if (_odb != 0)
            Api.OdbFree(_odb);
        if (_repo != 0)
            Api.RepositoryFree(_repo);
        _odb = _repo = 0;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct GitError
    {
        public byte* Message;
        public int Class;
    }

    /// <summary>The libgit2 functions used, bound from the library LibGit2Sharp has loaded.</summary>
    private sealed class Native
    {
        public delegate* unmanaged<nint*, byte*, int> RepositoryOpen;
        public delegate* unmanaged<nint, void> RepositoryFree;
        public delegate* unmanaged<nint*, nint, int> RepositoryOdb;
        public delegate* unmanaged<nint, void> OdbFree;
        public delegate* unmanaged<nint*, nint, byte*, int> OdbRead;
        public delegate* unmanaged<nint, nint> OdbObjectData;
        public delegate* unmanaged<nint, nuint> OdbObjectSize;
        public delegate* unmanaged<nint, int> OdbObjectType;
        public delegate* unmanaged<nint, void> OdbObjectFree;
        public delegate* unmanaged<GitError*> ErrorLast;
        public delegate* unmanaged<nint*, nint, int> RevwalkNew;
        public delegate* unmanaged<nint, uint, int> RevwalkSorting;
        public delegate* unmanaged<nint, byte*, int> RevwalkPush;
        public delegate* unmanaged<nint, byte*, int> RevwalkHide;
        public delegate* unmanaged<byte*, nint, int> RevwalkNext;
        public delegate* unmanaged<nint, void> RevwalkFree;

        public static Native Load()
        {
            // LibGit2Sharp loads (and initialises) its libgit2 on first use; find that very file among the process's modules.
            _ = LibGit2Sharp.GlobalSettings.Version;
            using var self = Process.GetCurrentProcess();
            var file = self.Modules.Cast<ProcessModule>().Select(m => m.FileName)
                .FirstOrDefault(f => Path.GetFileName(f).StartsWith("libgit2", StringComparison.Ordinal) || Path.GetFileName(f).StartsWith("git2", StringComparison.Ordinal))
                ?? throw new InvalidOperationException("libgit2 is not loaded (LibGit2Sharp's native library)");
            var lib = NativeLibrary.Load(file);
            nint F(string name) => NativeLibrary.GetExport(lib, name);
            return new Native
            {
                RepositoryOpen = (delegate* unmanaged<nint*, byte*, int>)F("git_repository_open"),
                RepositoryFree = (delegate* unmanaged<nint, void>)F("git_repository_free"),
                RepositoryOdb = (delegate* unmanaged<nint*, nint, int>)F("git_repository_odb"),
                OdbFree = (delegate* unmanaged<nint, void>)F("git_odb_free"),
                OdbRead = (delegate* unmanaged<nint*, nint, byte*, int>)F("git_odb_read"),
                OdbObjectData = (delegate* unmanaged<nint, nint>)F("git_odb_object_data"),
                OdbObjectSize = (delegate* unmanaged<nint, nuint>)F("git_odb_object_size"),
                OdbObjectType = (delegate* unmanaged<nint, int>)F("git_odb_object_type"),
                OdbObjectFree = (delegate* unmanaged<nint, void>)F("git_odb_object_free"),
                ErrorLast = (delegate* unmanaged<GitError*>)F("git_error_last"),
                RevwalkNew = (delegate* unmanaged<nint*, nint, int>)F("git_revwalk_new"),
                RevwalkSorting = (delegate* unmanaged<nint, uint, int>)F("git_revwalk_sorting"),
                RevwalkPush = (delegate* unmanaged<nint, byte*, int>)F("git_revwalk_push"),
                RevwalkHide = (delegate* unmanaged<nint, byte*, int>)F("git_revwalk_hide"),
                RevwalkNext = (delegate* unmanaged<byte*, nint, int>)F("git_revwalk_next"),
                RevwalkFree = (delegate* unmanaged<nint, void>)F("git_revwalk_free"),
            };
        }
    }
}
