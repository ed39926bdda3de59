# SPDX-License-Identifier: GPL-2.0
# bash completion for vmatlas(1): subcommands, their options (as the tool's
# own --help lists them, so they cannot drift), PIDs, lab kinds, attach
# modes, --color's values, and the command "vmatlas faults" runs.

_vmatlas_pids()
{
	local p pids=()

	for p in /proc/[0-9]*; do
		pids+=("${p#/proc/}")
	done
	COMPREPLY=($(compgen -W "${pids[*]}" -- "$1"))
}

_vmatlas()
{
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
	local cmds="info maps walk ptdump layout kaddr lab faults snapshot diff watch explain atlas"
	local cmd="" i at=0 args=0 tool=${COMP_WORDS[0]}

	# The subcommand, and how many arguments (not options) follow it.
	for ((i = 1; i < COMP_CWORD; i++)); do
		case ${COMP_WORDS[i]} in
		--)
			[ "$cmd" = faults ] && { at=$((i + 1)); break; }
			;;
		-s | -e | --start | --end | -p | --pid | -d | --duration | -a | --attach | -t | --top | \
			-o | --output | -i | --interval | -n | --count)
			((i++))
			;;
		-*) ;;
		*)
			if [ -z "$cmd" ]; then
				cmd=${COMP_WORDS[i]}
			elif [ "$cmd" = faults ]; then
				at=$i
				break
			else
				((args++))
			fi
			;;
		esac
	done

	if [ -z "$cmd" ]; then
		if [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W "--help --version" -- "$cur"))
		else
			COMPREPLY=($(compgen -W "$cmds" -- "$cur"))
		fi
		return
	fi
	# faults COMMAND ARG...: complete as that command would be.
	if [ "$at" -gt 0 ]; then
		if [ "$at" = "$COMP_CWORD" ]; then
			COMPREPLY=($(compgen -c -- "$cur"))
		else
			COMPREPLY=($(compgen -f -- "$cur"))
		fi
		return
	fi

	# --color=WHEN: bash splits the word at '=' (COMP_WORDBREAKS).
	if [ "$prev" = = ] && [ "${COMP_WORDS[COMP_CWORD - 2]}" = --color ]; then
		COMPREPLY=($(compgen -W "auto always never" -- "$cur"))
		return
	fi
	if [ "$cur" = = ] && [ "$prev" = --color ]; then
		COMPREPLY=(auto always never)
		return
	fi
	case $prev in
	-p | --pid)
		_vmatlas_pids "$cur"
		return
		;;
	-a | --attach)
		COMPREPLY=($(compgen -W "auto fentry kprobe tracepoint" -- "$cur"))
		return
		;;
	-o | --output)
		# snapshot's and atlas's file; the other commands' columns.
		local done=${cur%"${cur##*,}"} c cols words=""
		case $cmd in
		snapshot | atlas)
			COMPREPLY=($(compgen -f -- "$cur"))
			return
			;;
		maps)
			cols="start end size perms offset dev inode kind present swap anon file thp"
			cols="$cols hugetlb dirty young shared cow zero flags path" ;;
		ptdump) cols="start end size level tlb flags phys shared" ;;
		kaddr)
			cols="addr region logical phys_linear phys agree size level tlb entry"
			cols="$cols flags" ;;
		walk) cols="level index entry note flags" ;;
		layout) cols="region start end size" ;;
		lab) cols="page va phys logical region" ;;
		faults)
			cols="time_s pid tid addr ip access class lat_ns pfn_before pfn_after"
			cols="$cols maps_before maps_after" ;;
		*) return ;;
		esac
		# After the last comma, the next column.
		for c in $cols all; do
			words="$words $done$c"
		done
		COMPREPLY=($(compgen -W "$words" -- "$cur"))
		return
		;;
	-s | --snapshot | -f | --faults)
		# atlas's snapshot and trace; ptdump's -s START.
		[ "$cmd" = atlas ] && COMPREPLY=($(compgen -f -- "$cur"))
		return
		;;
	-e | --start | --end | -d | --duration | -t | --top | -i | --interval | -n | --count | \
	-r | --rows)
		return
		;;
	esac

	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$("$tool" "$cmd" --help 2>/dev/null |
			grep -o -- '--[a-z][a-z-]*' | sort -u) -h" -- "$cur"))
		return
	fi
	case $cmd in
	maps | walk | ptdump | snapshot | watch | atlas)
		[ "$args" = 0 ] && _vmatlas_pids "$cur"
		;;
	diff)
		[ "$args" -lt 2 ] && COMPREPLY=($(compgen -f -X '!*.json' -- "$cur") $(compgen -d -- "$cur"))
		;;
	lab)
		[ "$args" = 0 ] && COMPREPLY=($(compgen -W "kmalloc vmalloc pages kmap" -- "$cur"))
		;;
	faults)
		COMPREPLY=($(compgen -c -- "$cur"))
		;;
	explain)
		[ "$args" = 0 ] && COMPREPLY=($(compgen -W "$("$tool" explain 2>/dev/null |
			cut -d' ' -f1)" -- "$cur"))
		;;
	esac
}

complete -F _vmatlas vmatlas
