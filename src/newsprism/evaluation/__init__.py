"""The lab: data loaders of ../shared/data, metrics, baselines and audits. Stages never import it."""
