using System.Diagnostics;

namespace Sched.Fast.Qdiscs.Htb;

/// <summary>
/// An intrusive red-black tree (lib/rbtree.c's role): the caller walks down to the insertion point, as the kernel's
/// rb_link_node() callers do, so each tree keeps its own ordering rule; <see cref="Link"/> then rebalances. In-order
/// is all htb relies on (first, next, a BST search), so any correct balancing gives the kernel's behaviour.
/// </summary>
internal sealed class RbTree
{
    public RbNode? Root;

    public bool IsEmpty => Root is null;

    /// <summary>rb_link_node() + rb_insert_color(): attach <paramref name="node"/> under <paramref name="parent"/>.</summary>
    public void Link(RbNode node, RbNode? parent, bool asLeftChild)
    {
        Debug.Assert(!node.IsLinked, "rb node is already in a tree");
        node.Parent = parent;
        node.Left = node.Right = null;
        node.IsRed = true;
        node.IsLinked = true;
        if (parent is null) Root = node;
        else if (asLeftChild) parent.Left = node;
        else parent.Right = node;
        InsertFixup(node);
    }

    /// <summary>rb_erase() + RB_CLEAR_NODE().</summary>
    public void Erase(RbNode z)
    {
        Debug.Assert(z.IsLinked, "rb node is not in a tree");
        RbNode? x, xParent;
        bool removedBlack;
        if (z.Left is null)
        {
            x = z.Right;
            xParent = z.Parent;
            removedBlack = !z.IsRed;
            Transplant(z, z.Right);
        }
        else if (z.Right is null)
        {
            x = z.Left;
            xParent = z.Parent;
            removedBlack = !z.IsRed;
            Transplant(z, z.Left);
        }
        else
        {
            RbNode y = First(z.Right)!;
            removedBlack = !y.IsRed;
            x = y.Right;
            if (y.Parent == z)
            {
                xParent = y;
            }
            else
            {
                xParent = y.Parent;
                Transplant(y, y.Right);
                y.Right = z.Right;
                y.Right.Parent = y;
            }
            Transplant(z, y);
            y.Left = z.Left;
            y.Left.Parent = y;
            y.IsRed = z.IsRed;
        }
        if (removedBlack) DeleteFixup(x, xParent);
        z.Clear();
    }

    /// <summary>rb_first(): the leftmost node under <paramref name="n"/>.</summary>
    public static RbNode? First(RbNode? n)
    {
        if (n is null) return null;
        while (n.Left is not null) n = n.Left;
        return n;
    }

    /// <summary>rb_next(): the in-order successor.</summary>
    public static RbNode? Next(RbNode n)
    {
        if (n.Right is not null) return First(n.Right);
        RbNode? p = n.Parent;
        while (p is not null && n == p.Right)
        {
            n = p;
            p = p.Parent;
        }
        return p;
    }

    private void Transplant(RbNode u, RbNode? v)
    {
        if (u.Parent is null) Root = v;
        else if (u == u.Parent.Left) u.Parent.Left = v;
        else u.Parent.Right = v;
        if (v is not null) v.Parent = u.Parent;
    }

    private void RotateLeft(RbNode x)
    {
        RbNode y = x.Right!;
        x.Right = y.Left;
        if (y.Left is not null) y.Left.Parent = x;
        y.Parent = x.Parent;
        if (x.Parent is null) Root = y;
        else if (x == x.Parent.Left) x.Parent.Left = y;
        else x.Parent.Right = y;
        y.Left = x;
        x.Parent = y;
    }

    private void RotateRight(RbNode x)
    {
        RbNode y = x.Left!;
        x.Left = y.Right;
        if (y.Right is not null) y.Right.Parent = x;
        y.Parent = x.Parent;
        if (x.Parent is null) Root = y;
        else if (x == x.Parent.Right) x.Parent.Right = y;
        else x.Parent.Left = y;
        y.Right = x;
        x.Parent = y;
    }

    private void InsertFixup(RbNode z)
    {
        while (z.Parent is { IsRed: true } p)
        {
            RbNode g = p.Parent!; // a red node is never the root
            if (p == g.Left)
            {
                RbNode? u = g.Right;
                if (u is { IsRed: true })
                {
                    p.IsRed = false;
                    u.IsRed = false;
                    g.IsRed = true;
                    z = g;
                    continue;
                }
                if (z == p.Right)
                {
                    z = p;
                    RotateLeft(z);
                    p = z.Parent!;
                }
                p.IsRed = false;
                g.IsRed = true;
                RotateRight(g);
            }
            else
            {
                RbNode? u = g.Left;
                if (u is { IsRed: true })
                {
                    p.IsRed = false;
                    u.IsRed = false;
                    g.IsRed = true;
                    z = g;
                    continue;
                }
                if (z == p.Left)
                {
                    z = p;
                    RotateRight(z);
                    p = z.Parent!;
                }
                p.IsRed = false;
                g.IsRed = true;
                RotateLeft(g);
            }
        }
        Root!.IsRed = false;
    }

    private void DeleteFixup(RbNode? x, RbNode? parent)
    {
        while (x != Root && (x is null || !x.IsRed))
        {
            if (x == parent!.Left)
            {
                RbNode w = parent.Right!;
                if (w.IsRed)
                {
                    w.IsRed = false;
                    parent.IsRed = true;
                    RotateLeft(parent);
                    w = parent.Right!;
                }
                if (!IsRed(w.Left) && !IsRed(w.Right))
                {
                    w.IsRed = true;
                    x = parent;
                    parent = x.Parent;
                }
                else
                {
                    if (!IsRed(w.Right))
                    {
                        w.Left!.IsRed = false;
                        w.IsRed = true;
                        RotateRight(w);
                        w = parent.Right!;
                    }
                    w.IsRed = parent.IsRed;
                    parent.IsRed = false;
                    w.Right!.IsRed = false;
                    RotateLeft(parent);
                    x = Root;
                    parent = null;
                }
            }
            else
            {
                RbNode w = parent.Left!;
                if (w.IsRed)
                {
                    w.IsRed = false;
                    parent.IsRed = true;
                    RotateRight(parent);
                    w = parent.Left!;
                }
                if (!IsRed(w.Left) && !IsRed(w.Right))
                {
                    w.IsRed = true;
                    x = parent;
                    parent = x.Parent;
                }
                else
                {
                    if (!IsRed(w.Left))
                    {
                        w.Right!.IsRed = false;
                        w.IsRed = true;
                        RotateLeft(w);
                        w = parent.Left!;
                    }
                    w.IsRed = parent.IsRed;
                    parent.IsRed = false;
                    w.Left!.IsRed = false;
                    RotateRight(parent);
                    x = Root;
                    parent = null;
                }
            }
        }
        if (x is not null) x.IsRed = false;
    }

    private static bool IsRed(RbNode? n) => n is { IsRed: true };

    /// <summary>Checks the red-black properties and parent links; returns the number of nodes.</summary>
    internal int Validate()
    {
        if (Root is null) return 0;
        if (Root.IsRed || Root.Parent is not null) throw new InvalidOperationException("bad rb root");
        return Check(Root, out _);
    }

    private static int Check(RbNode n, out int blackHeight)
    {
        int count = 1, lh = 0, rh = 0;
        if (n.Left is not null)
        {
            if (n.Left.Parent != n || (n.IsRed && n.Left.IsRed)) throw new InvalidOperationException("bad rb left link");
            count += Check(n.Left, out lh);
        }
        if (n.Right is not null)
        {
            if (n.Right.Parent != n || (n.IsRed && n.Right.IsRed)) throw new InvalidOperationException("bad rb right link");
            count += Check(n.Right, out rh);
        }
        if (lh != rh) throw new InvalidOperationException("unequal black heights");
        blackHeight = lh + (n.IsRed ? 0 : 1);
        return count;
    }
}
