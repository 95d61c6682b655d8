using Sched.Fast.Classifiers;
using Sched.Fast.Packets;

namespace Sched.Fast.Actions;

/// <summary>
/// The actions of one filter, in order (struct tcf_exts). <see cref="Execute"/> is tcf_action_exec()
/// (net/sched/act_api.c): run each action; pipe goes on to the next, repeat reruns the same one (at most 32 times),
/// jump N skips N actions, goto chain records the target chain, anything else ends the list with that verdict.
/// </summary>
public sealed class ActionList
{
    public static readonly ActionList Empty = new([]);

    private readonly TcAction[] _actions;

    public ActionList(TcAction[] actions) => _actions = actions;

    public IReadOnlyList<TcAction> Actions => _actions;
    public int Count => _actions.Length;
    public bool IsEmpty => _actions.Length == 0;

    public int Execute(Packet packet, ref ClassifyResult result)
    {
        int n = _actions.Length;
        int jumpCount = 0;
        int jumpTtl = TcAct.MaxPrio;
        int ret = TcAct.Ok;
    Restart:
        for (int i = 0; i < n; i++)
        {
            if (jumpCount > 0) { jumpCount--; continue; }
            TcAction a = _actions[i];
            int repeatTtl = 32;
        Repeat:
            ret = a.Act(packet, ref result);
            if (ret == TcAct.Repeat)
            {
                if (--repeatTtl != 0) goto Repeat;
                return TcAct.Ok; // "TC_ACT_REPEAT abuse ?"
            }
            if (TcAct.IsExt(ret, TcAct.Jump))
            {
                jumpCount = ret & TcAct.MaxPrioMask;
                if (jumpCount == 0 || jumpCount > n) return TcAct.Ok; // faulty opcode
                if (--jumpTtl > 0) goto Restart;
                return TcAct.Ok; // faulty graph
            }
            if (TcAct.IsExt(ret, TcAct.GotoChain))
            {
                if (a.GotoChain is null) return TcAct.Shot; // chain not found
                result.GotoChain = a.GotoChain;
            }
            if (ret != TcAct.Pipe) break;
        }
        return ret;
    }
}
