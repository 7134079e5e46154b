"""nbgrader configuration: the repository root is the course.

    solutions/<assignment>/    instructor version (solutions, hidden tests)  -- committed
    exercises/<assignment>/    `nbgrader generate_assignment` output          -- committed
    submitted/<student>/<assignment>/, autograded/, feedback/, gradebook.db   -- git-ignored

`make release` regenerates exercises/, `make grade` autogrades everything in submitted/.
"""
c = get_config()  # noqa: F821 (provided by traitlets when nbgrader loads this file)

c.CourseDirectory.course_id = "loss-landscapes"
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "exercises"
c.CourseDirectory.submitted_directory = "submitted"
c.CourseDirectory.autograded_directory = "autograded"
c.CourseDirectory.feedback_directory = "feedback"
c.CourseDirectory.source_with_tests_directory = "source_with_tests"
c.CourseDirectory.solution_directory = "solution"
c.CourseDirectory.assignment_id = ""

# The kernel every notebook of the book declares.
c.Execute.kernel_name = "python3"
# One student's infinite loop costs that student the part, not the batch: each cell gets at
# most 60 s, then the kernel is interrupted, the cell records a CellTimeoutError (0 points for
# the tests it fails) and grading goes on with the next cell.
c.Execute.timeout = 60
c.Execute.interrupt_on_timeout = True
c.Execute.allow_errors = True

# `nbgrader validate` / the Validate button: do not cut the checks' messages at 90 characters.
c.Validator.width = 160

# A released notebook must not leak solutions: fail generate_assignment if a solution cell
# has no BEGIN/END SOLUTION markers.
c.ClearSolutions.enforce_metadata = True

# nbgrader runs notebooks in-process through jupyter_client; poll in short slices so that
# ipywidgets comm traffic cannot stall it (jupyter/nbclient#312). See landscape/execute.py.
try:
    from landscape.execute import patch_zmq_polling
except ImportError:  # landscape not installed: grade without the patch
    pass
else:
    patch_zmq_polling()
