"""Tests of monitor.analysis.extract."""
