#!/usr/bin/env python3
"""AequilibraE (bi-conjugate Frank-Wolfe) on a TNTP network, for bench/assignment.sh.

usage: peer_aequilibrae.py NET_FILE TRIPS_FILE TARGET_GAP [MAX_ITERATIONS [FLOWS_OUT]]
Prints JSON: seconds, iterations, rgap (AequilibraE's own relative gap); writes the
link flows, one per line in file order, to FLOWS_OUT when given (for tntp_gap.py).
Zero free-flow times become 1e-8 and power-0 links power 1 (their b is 0), as
AequilibraE requires; zones are blocked as centroids when FIRST THRU NODE > 1.
"""
import sys, time, json
import numpy as np, pandas as pd
from aequilibrae.paths import Graph, TrafficAssignment, TrafficClass
from aequilibrae.matrix import AequilibraeMatrix

def read_net(path):
    rows=[]; meta={}
    with open(path) as f:
        body=False
        for line in f:
            if not body:
                if line.startswith("<"):
                    k=line[1:line.index(">")]; v=line[line.index(">")+1:].strip()
                    meta[k]=v
                if "<END OF METADATA>" in line: body=True
                continue
            line=line.split("~")[0].split(";")[0].split()
            if len(line)<10: continue
            rows.append([int(line[0]),int(line[1]),float(line[2]),float(line[3]),float(line[4]),float(line[5]),float(line[6]),float(line[8])])
    df=pd.DataFrame(rows,columns=["a_node","b_node","capacity","length","free_flow_time","alpha","beta","toll"])
    return df, int(meta["NUMBER OF ZONES"].split()[0]), int(meta["FIRST THRU NODE"].split()[0])

def read_trips(path, zones):
    m=np.zeros((zones,zones)); o=None
    with open(path) as f:
        body=False
        for line in f:
            if not body:
                if "<END OF METADATA>" in line: body=True
                continue
            line=line.split("~")[0].strip()
            if not line: continue
            if line.startswith("Origin"): o=int(line.split()[1])-1; continue
            for e in line.split(";"):
                if ":" in e:
                    d,q=e.split(":"); m[o,int(d)-1]=float(q)
    return m

net, zones, ftn = read_net(sys.argv[1]); dem = read_trips(sys.argv[2], zones)
target=float(sys.argv[3])
net["free_flow_time"]=net["free_flow_time"].clip(lower=1e-8)
net.loc[net["beta"]==0,"beta"]=1.0
net["link_id"]=np.arange(1,len(net)+1); net["direction"]=1; net["mode"]="c"
g=Graph(); g.network=net; g.mode="c"
g.prepare_graph(np.arange(1,zones+1)); g.set_graph("free_flow_time"); g.set_skimming(["free_flow_time"]); g.set_blocked_centroid_flows(ftn > 1)
mat=AequilibraeMatrix(); mat.create_empty(zones=zones, matrix_names=["demand"], memory_only=True)
mat.index[:]=np.arange(1,zones+1); mat.matrices[:,:,0]=dem; mat.computational_view(["demand"])
a=TrafficAssignment(); a.add_class(TrafficClass("car", g, mat)); a.set_vdf("BPR"); a.set_vdf_parameters({"alpha":"alpha","beta":"beta"})
a.set_capacity_field("capacity"); a.set_time_field("free_flow_time"); a.set_algorithm("bfw")
a.max_iter=int(sys.argv[4]) if len(sys.argv) > 4 else 100000; a.rgap_target=target
t=time.perf_counter(); a.execute(); el=time.perf_counter()-t
rep=a.report()
if len(sys.argv) > 5:
    res=a.results()
    col=[c for c in res.columns if c.endswith("_tot") and "demand" in c][0]
    flows=res[col].reindex(net["link_id"]).fillna(0.0).to_numpy()
    np.savetxt(sys.argv[5], flows)
print(json.dumps({"seconds":el,"iterations":int(rep["iteration"].max()),"rgap":float(rep["rgap"].iloc[-1])}))
