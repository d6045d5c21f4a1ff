#!/bin/sh
# suanpan over a large archive of reports, as a Slurm job array: task i (0 … N − 1) checks
# shard i + 1 of N (--shard K/N takes K from 1) and writes its own JSON Lines file;
# concatenated, the files are the lines of a single run over the whole archive, each once.
#
#   sbatch --array=0-7 deploy/slurm.sh /shared/reports /shared/results
#   cat /shared/results/shard-*.jsonl > all.jsonl            # once every task is done
#
# The number of shards is the array's size (SLURM_ARRAY_TASK_COUNT), so --array alone sets it.
# Exit status: 0 no finding at --fail-on, 1 findings (an expected outcome, reported as such),
# 2 the run itself failed (the task fails).
#SBATCH --job-name=suanpan
#SBATCH --cpus-per-task=2
#SBATCH --mem=1G
#SBATCH --time=01:00:00
#SBATCH --output=suanpan-%A_%a.log
set -eu
reports=${1:?usage: sbatch --array=0-N deploy/slurm.sh REPORTS RESULTS}
results=${2:?usage: sbatch --array=0-N deploy/slurm.sh REPORTS RESULTS}
: "${SLURM_ARRAY_TASK_ID:?run this with sbatch --array}"
shards=${SLURM_ARRAY_TASK_COUNT:?run this with sbatch --array}
mkdir -p "$results"
status=0
suanpan check "$reports" \
    --format jsonl \
    --shard "$((SLURM_ARRAY_TASK_ID + 1))/$shards" \
    -j "${SLURM_CPUS_PER_TASK:-1}" \
    -o "$results/shard-$SLURM_ARRAY_TASK_ID.jsonl" || status=$?
# Findings are the result, not a failure of the task.
[ "$status" -le 1 ] || exit "$status"
